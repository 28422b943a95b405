using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Delivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ClaimExpiresAt",
                table: "Subscriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "ClaimedBy",
                table: "Subscriptions",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DeliveredThrough",
                table: "Subscriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "DeliveryAttempts",
                table: "Subscriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "DeliveryFailedAt",
                table: "Subscriptions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FirstFailureAt",
                table: "Subscriptions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastDeliveryError",
                table: "Subscriptions",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "NextAttemptAt",
                table: "Subscriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "TargetHostName",
                table: "ChangeLog",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Subscriptions_NextAttemptAt",
                table: "Subscriptions",
                column: "NextAttemptAt");

            // Subscriptions made before delivery existed hear of changes from now on, as a new one does.
            migrationBuilder.Sql("UPDATE \"Subscriptions\" SET \"DeliveredThrough\" = COALESCE((SELECT MAX(\"Sequence\") FROM \"ChangeLog\"), 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Subscriptions_NextAttemptAt",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "ClaimExpiresAt",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "DeliveredThrough",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "DeliveryAttempts",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "DeliveryFailedAt",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "FirstFailureAt",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "LastDeliveryError",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "NextAttemptAt",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "TargetHostName",
                table: "ChangeLog");
        }
    }
}

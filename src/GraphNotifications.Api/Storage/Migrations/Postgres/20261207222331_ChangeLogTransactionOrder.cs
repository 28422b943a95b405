using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ChangeLogTransactionOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ChangeLog_Feed",
                table: "ChangeLog");

            migrationBuilder.AddColumn<long>(
                name: "DeliveredThroughTransaction",
                table: "Subscriptions",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // The entries already there were committed one after another under the old global lock, in sequence
            // order: they get 0, so they sort before every new entry and among themselves by sequence, and a position
            // handed out before (a delta token, a subscription's) still means what it meant. New entries get their
            // transaction's id from the default.
            migrationBuilder.AddColumn<long>(
                name: "TransactionId",
                table: "ChangeLog",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "TransactionId",
                table: "ChangeLog",
                type: "bigint",
                nullable: false,
                defaultValueSql: "pg_current_xact_id()::text::bigint",
                oldClrType: typeof(long),
                oldType: "bigint",
                oldDefaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_ChangeLog_Feed",
                table: "ChangeLog",
                columns: new[] { "TenantId", "AppId", "UserId", "TransactionId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_ChangeLog_Position",
                table: "ChangeLog",
                columns: new[] { "TransactionId", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ChangeLog_Feed",
                table: "ChangeLog");

            migrationBuilder.DropIndex(
                name: "IX_ChangeLog_Position",
                table: "ChangeLog");

            migrationBuilder.DropColumn(
                name: "DeliveredThroughTransaction",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "TransactionId",
                table: "ChangeLog");

            migrationBuilder.CreateIndex(
                name: "IX_ChangeLog_Feed",
                table: "ChangeLog",
                columns: new[] { "TenantId", "AppId", "UserId", "Sequence" });
        }
    }
}

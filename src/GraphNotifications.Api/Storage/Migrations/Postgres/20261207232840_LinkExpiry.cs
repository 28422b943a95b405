using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LinkExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UserNotificationLinks_ReadState",
                table: "UserNotificationLinks");

            migrationBuilder.AddColumn<long>(
                name: "ExpiresAt",
                table: "UserNotificationLinks",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Each link takes its notification's expiry: the feeds leave out what has expired by the link's copy, so a
            // link left at 0 would drop out of its feed.
            migrationBuilder.Sql("UPDATE \"UserNotificationLinks\" AS l SET \"ExpiresAt\" = COALESCE(n.\"ExpiresAt\", 0) FROM \"Notifications\" AS n WHERE n.\"Id\" = l.\"NotificationId\";");

            migrationBuilder.CreateIndex(
                name: "IX_UserNotificationLinks_ReadState",
                table: "UserNotificationLinks",
                columns: new[] { "TenantId", "UserId", "AppId", "ReadState", "CreatedAt", "NotificationId", "ExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UserNotificationLinks_ReadState",
                table: "UserNotificationLinks");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "UserNotificationLinks");

            migrationBuilder.CreateIndex(
                name: "IX_UserNotificationLinks_ReadState",
                table: "UserNotificationLinks",
                columns: new[] { "TenantId", "UserId", "AppId", "ReadState", "CreatedAt", "NotificationId" });
        }
    }
}

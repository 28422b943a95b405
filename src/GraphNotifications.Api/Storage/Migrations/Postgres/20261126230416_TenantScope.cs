using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TenantScope : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rows from before tenants were created by tokens without 'tid': they belong to the default tenant
            // (Caller.DefaultTenant), where such tokens still find them. The service always writes the tenant itself.
            migrationBuilder.DropPrimaryKey(
                name: "PK_UserNotificationLinks",
                table: "UserNotificationLinks");

            migrationBuilder.DropIndex(
                name: "IX_UserNotificationLinks_Feed",
                table: "UserNotificationLinks");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_AppId_CreatedAt_Id",
                table: "Notifications");

            migrationBuilder.AddColumn<string>(
                name: "TenantId",
                table: "UserNotificationLinks",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                defaultValue: "default");

            migrationBuilder.AddColumn<string>(
                name: "TenantId",
                table: "Notifications",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                defaultValue: "default");

            migrationBuilder.AddPrimaryKey(
                name: "PK_UserNotificationLinks",
                table: "UserNotificationLinks",
                columns: new[] { "TenantId", "UserId", "NotificationId" });

            migrationBuilder.CreateIndex(
                name: "IX_UserNotificationLinks_Feed",
                table: "UserNotificationLinks",
                columns: new[] { "TenantId", "UserId", "AppId", "CreatedAt", "NotificationId" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_TenantId_AppId_CreatedAt_Id",
                table: "Notifications",
                columns: new[] { "TenantId", "AppId", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_UserNotificationLinks",
                table: "UserNotificationLinks");

            migrationBuilder.DropIndex(
                name: "IX_UserNotificationLinks_Feed",
                table: "UserNotificationLinks");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_TenantId_AppId_CreatedAt_Id",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "TenantId",
                table: "UserNotificationLinks");

            migrationBuilder.DropColumn(
                name: "TenantId",
                table: "Notifications");

            migrationBuilder.AddPrimaryKey(
                name: "PK_UserNotificationLinks",
                table: "UserNotificationLinks",
                columns: new[] { "UserId", "NotificationId" });

            migrationBuilder.CreateIndex(
                name: "IX_UserNotificationLinks_Feed",
                table: "UserNotificationLinks",
                columns: new[] { "UserId", "AppId", "CreatedAt", "NotificationId" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_AppId_CreatedAt_Id",
                table: "Notifications",
                columns: new[] { "AppId", "CreatedAt", "Id" });
        }
    }
}

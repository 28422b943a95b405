using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RecipientState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReadState",
                table: "UserNotificationLinks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "SnoozedUntil",
                table: "UserNotificationLinks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StateVersion",
                table: "UserNotificationLinks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1L);

            migrationBuilder.AddColumn<int>(
                name: "UserActionState",
                table: "UserNotificationLinks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "CreatedDateTime",
                table: "Notifications",
                type: "INTEGER",
                nullable: true);

            // Existing notifications: createdDateTime is the creation time the store already kept.
            migrationBuilder.Sql("UPDATE \"Notifications\" SET \"CreatedDateTime\" = \"CreatedAt\";");
            // readState, userActionState, snoozedUntilDateTime and createdDateTime are declared now; values an app had
            // stored under these names as dynamic properties of its content are removed (docs/recipient.md).
            migrationBuilder.Sql("""
                UPDATE "Notifications"
                SET "DynamicProperties" = json_remove("DynamicProperties", '$.readState', '$.userActionState', '$.snoozedUntilDateTime', '$.createdDateTime')
                WHERE json_type("DynamicProperties", '$.readState') IS NOT NULL OR json_type("DynamicProperties", '$.userActionState') IS NOT NULL
                   OR json_type("DynamicProperties", '$.snoozedUntilDateTime') IS NOT NULL OR json_type("DynamicProperties", '$.createdDateTime') IS NOT NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_UserNotificationLinks_ReadState",
                table: "UserNotificationLinks",
                columns: new[] { "TenantId", "UserId", "AppId", "ReadState", "CreatedAt", "NotificationId" });

            migrationBuilder.CreateIndex(
                name: "IX_UserNotificationLinks_SnoozedUntil",
                table: "UserNotificationLinks",
                column: "SnoozedUntil");

            migrationBuilder.CreateIndex(
                name: "IX_UserNotificationLinks_UserActionState",
                table: "UserNotificationLinks",
                columns: new[] { "TenantId", "UserId", "AppId", "UserActionState", "CreatedAt", "NotificationId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UserNotificationLinks_ReadState",
                table: "UserNotificationLinks");

            migrationBuilder.DropIndex(
                name: "IX_UserNotificationLinks_SnoozedUntil",
                table: "UserNotificationLinks");

            migrationBuilder.DropIndex(
                name: "IX_UserNotificationLinks_UserActionState",
                table: "UserNotificationLinks");

            migrationBuilder.DropColumn(
                name: "ReadState",
                table: "UserNotificationLinks");

            migrationBuilder.DropColumn(
                name: "SnoozedUntil",
                table: "UserNotificationLinks");

            migrationBuilder.DropColumn(
                name: "StateVersion",
                table: "UserNotificationLinks");

            migrationBuilder.DropColumn(
                name: "UserActionState",
                table: "UserNotificationLinks");

            migrationBuilder.DropColumn(
                name: "CreatedDateTime",
                table: "Notifications");
        }
    }
}

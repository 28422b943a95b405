using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppNotificationIdOfIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // IX_Notifications_AppNotificationId holds the notifications that have an appNotificationId, not every
            // notification. SQLite's statistics (ANALYZE, which SqliteStatistics runs as a store grows) give an index
            // one figure, the rows per value, and count the notifications without one as one value: where few carry
            // an id, that figure rose to the size of a feed and the planner walked the feed instead of looking the id
            // up. Without them the figure is about 1 whatever the rest of the store holds. An equality on the
            // expression implies it is not null, so the lookup can still use this index. The row in sqlite_stat1
            // goes with the dropped index; it is written again, as AppNotificationIdIndex did, for a store that has
            // not been analyzed yet.
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Notifications_AppNotificationId\";");
            migrationBuilder.Sql("CREATE INDEX \"IX_Notifications_AppNotificationId\" ON \"Notifications\" (json_extract(\"DynamicProperties\", '$.appNotificationId'), \"TenantId\", \"AppId\") WHERE json_extract(\"DynamicProperties\", '$.appNotificationId') IS NOT NULL;");
            migrationBuilder.Sql("ANALYZE sqlite_schema;");
            migrationBuilder.Sql("DELETE FROM sqlite_stat1 WHERE idx = 'IX_Notifications_AppNotificationId';");
            migrationBuilder.Sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('Notifications', 'IX_Notifications_AppNotificationId', '1000000 1 1 1');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Notifications_AppNotificationId\";");
            migrationBuilder.Sql("CREATE INDEX \"IX_Notifications_AppNotificationId\" ON \"Notifications\" (json_extract(\"DynamicProperties\", '$.appNotificationId'), \"TenantId\", \"AppId\");");
            migrationBuilder.Sql("DELETE FROM sqlite_stat1 WHERE idx = 'IX_Notifications_AppNotificationId';");
            migrationBuilder.Sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('Notifications', 'IX_Notifications_AppNotificationId', '1000000 1 1 1');");
        }
    }
}

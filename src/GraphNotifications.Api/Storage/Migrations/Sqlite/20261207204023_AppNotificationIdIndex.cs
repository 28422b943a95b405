using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppNotificationIdIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // $filter=appNotificationId eq '…' (the app's handle for its notification) along an index. EF Core's model
            // cannot declare an expression index, so it is SQL here; the expression is exactly the one the query
            // translator writes (Storage/DynamicProperties), since the database uses it only for that expression. The
            // value leads, so that a feed's query, which reaches notifications through the user's links, can use it too.
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS \"IX_Notifications_AppNotificationId\" ON \"Notifications\" (json_extract(\"DynamicProperties\", '$.appNotificationId'), \"TenantId\", \"AppId\");");

            // Without statistics, SQLite's planner takes a feed for a few rows and walks it in its order, testing each
            // item (a whole feed for an id it holds once), rather than look the id up. Rows in sqlite_stat1 (SQLite
            // documents writing them by hand) tell it what ANALYZE would on a store in use: an id names about one
            // notification, and a user's feed holds many. "ANALYZE sqlite_schema" creates the table without analyzing
            // anything; a later ANALYZE replaces both rows with measured figures. Rebuilding either table (dropping
            // it) drops its rows and this index, which EF Core does not know: DynamicFilterPlanTests would fail.
            migrationBuilder.Sql("ANALYZE sqlite_schema;");
            migrationBuilder.Sql("DELETE FROM sqlite_stat1 WHERE idx IN ('IX_Notifications_AppNotificationId', 'IX_UserNotificationLinks_Feed');");
            migrationBuilder.Sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('Notifications', 'IX_Notifications_AppNotificationId', '1000000 1 1 1');");
            migrationBuilder.Sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('UserNotificationLinks', 'IX_UserNotificationLinks_Feed', '1000000 100000 1000 1000 1 1');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM sqlite_stat1 WHERE idx IN ('IX_Notifications_AppNotificationId', 'IX_UserNotificationLinks_Feed');");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Notifications_AppNotificationId\";");
        }
    }
}

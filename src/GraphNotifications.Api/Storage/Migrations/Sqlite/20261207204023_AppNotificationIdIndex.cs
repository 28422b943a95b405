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

            // SQLite's planner uses this index for a lookup when it has statistics (ANALYZE): without them it takes a
            // feed for a few rows and walks it in order. A row in sqlite_stat1 for this index alone (SQLite documents
            // writing it by hand) says what ANALYZE would of it: an id names about one notification. A later ANALYZE
            // replaces it with measured figures. (A row for the feed index as well made every lookup use this index,
            // but also made the planner prefer other link indexes without statistics for plain feed pages.)
            migrationBuilder.Sql("ANALYZE sqlite_schema;");
            migrationBuilder.Sql("DELETE FROM sqlite_stat1 WHERE idx = 'IX_Notifications_AppNotificationId';");
            migrationBuilder.Sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('Notifications', 'IX_Notifications_AppNotificationId', '1000000 1 1 1');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM sqlite_stat1 WHERE idx = 'IX_Notifications_AppNotificationId';");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Notifications_AppNotificationId\";");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Postgres
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
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS \"IX_Notifications_AppNotificationId\" ON \"Notifications\" (jsonb_extract_path_text(\"DynamicProperties\", 'appNotificationId'), \"TenantId\", \"AppId\");");

            // The planner estimates the expression's selectivity from statistics ANALYZE gathers for the index; a
            // sample, quick even on a large table (autovacuum would do it later).
            migrationBuilder.Sql("ANALYZE \"Notifications\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Notifications_AppNotificationId\";");
        }
    }
}

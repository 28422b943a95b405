using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AppNotificationIdOfIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Nothing on PostgreSQL: its statistics count the notifications without an appNotificationId apart (a
            // null fraction), so the figure per value stays about 1. SQLite's migration of this name narrows its index.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}

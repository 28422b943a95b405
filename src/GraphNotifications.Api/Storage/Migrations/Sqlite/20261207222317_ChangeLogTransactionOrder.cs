using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChangeLogTransactionOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}

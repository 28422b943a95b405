using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Subscriptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Subscriptions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    Resource = table.Column<string>(type: "TEXT", nullable: false),
                    ChangeType = table.Column<string>(type: "TEXT", nullable: false),
                    NotificationUrl = table.Column<string>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClientState = table.Column<string>(type: "TEXT", nullable: true),
                    ApplicationId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CreatorId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    LifecycleNotificationUrl = table.Column<string>(type: "TEXT", nullable: true),
                    LatestSupportedTlsVersion = table.Column<string>(type: "TEXT", nullable: true),
                    IncludeResourceData = table.Column<bool>(type: "INTEGER", nullable: true),
                    EncryptionCertificate = table.Column<string>(type: "TEXT", nullable: true),
                    EncryptionCertificateId = table.Column<string>(type: "TEXT", nullable: true),
                    NotificationContentType = table.Column<string>(type: "TEXT", nullable: true),
                    NotificationQueryOptions = table.Column<string>(type: "TEXT", nullable: true),
                    NotificationUrlAppId = table.Column<string>(type: "TEXT", nullable: true),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    OwnerUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ResourceUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    TargetHostNameFilter = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Subscriptions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Subscriptions_ExpiresAt",
                table: "Subscriptions",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_Subscriptions_TenantId_ApplicationId_OwnerUserId_Id",
                table: "Subscriptions",
                columns: new[] { "TenantId", "ApplicationId", "OwnerUserId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Subscriptions_TenantId_ResourceUserId",
                table: "Subscriptions",
                columns: new[] { "TenantId", "ResourceUserId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Subscriptions");
        }
    }
}

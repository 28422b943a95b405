using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphNotifications.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PushEndpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PushEndpoints",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    PlatformType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Endpoint = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    P256dh = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Auth = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastDeliveryAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastDeliveryError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AppId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PushEndpoints", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PushOutboxPosition",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    TransactionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PushOutboxPosition", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "VapidKeys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PublicKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProtectedPrivateKey = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VapidKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PendingPushes",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EndpointId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    NotificationId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    EnqueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ClaimExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingPushes", x => x.Sequence);
                    table.ForeignKey(
                        name: "FK_PendingPushes_PushEndpoints_EndpointId",
                        column: x => x.EndpointId,
                        principalTable: "PushEndpoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PendingPushes_EndpointId_Sequence",
                table: "PendingPushes",
                columns: new[] { "EndpointId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_PendingPushes_NextAttemptAt",
                table: "PendingPushes",
                column: "NextAttemptAt");

            migrationBuilder.CreateIndex(
                name: "IX_PushEndpoints_ExpiresAt",
                table: "PushEndpoints",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_PushEndpoints_TenantId_AppId_UserId_Id",
                table: "PushEndpoints",
                columns: new[] { "TenantId", "AppId", "UserId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PendingPushes");

            migrationBuilder.DropTable(
                name: "PushOutboxPosition");

            migrationBuilder.DropTable(
                name: "VapidKeys");

            migrationBuilder.DropTable(
                name: "PushEndpoints");
        }
    }
}

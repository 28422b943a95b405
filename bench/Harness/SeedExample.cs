using System.Globalization;

namespace GraphNotifications.Bench.Harness;

/// <summary>
/// The example of Graph's "Add notifications" page with its two flaws mended (a member of <c>priority</c>, an expiry
/// ahead), as the tests' Bodies.CorrectedSeed writes it.
/// </summary>
internal static class SeedExample
{
    public static string Corrected(DateTimeOffset expires) => $$"""
        {
          "@odata.type": "#microsoft.graph.notification",
          "targetHostName": "Target Host Name value",
          "expirationDateTime": "{{expires.ToString("O", CultureInfo.InvariantCulture)}}",
          "payload": {
            "@odata.type": "microsoft.graph.payloadTypes",
            "rawContent": "Raw Content value",
            "visualContent": {
              "@odata.type": "microsoft.graph.visualProperties",
              "title": "Title value",
              "body": "Body value"
            }
          },
          "displayTimeToLive": 1,
          "priority": "High",
          "groupName": "Group Name value",
          "targetPolicy": {
            "@odata.type": "microsoft.graph.targetPolicyEndpoints",
            "platformTypes": [
              "Platform Types value"
            ]
          }
        }
        """;
}

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Marks an action that stores something and answers with it: <see cref="ResponsePreconditions"/> refuses an
/// <c>Accept</c> no formatter can satisfy before the action runs, not after it stored (a 406 that had stored).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChecksAcceptFirstAttribute : Attribute;

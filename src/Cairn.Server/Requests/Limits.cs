namespace Cairn.Server.Requests;

/// <summary>Request limits shared by the server and its validation.</summary>
public static class Limits
{
    /// <summary>The largest request body accepted: 1 MiB is far more than any billing request needs.</summary>
    public const int MaxBodyBytes = 1024 * 1024;
}

namespace Cairn.Server.Requests;

/// <summary>Request limits shared by the server and its validation.</summary>
public static class Limits
{
    /// <summary>The largest request body accepted: 1 MiB is far more than any billing request needs.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The longest path and query accepted: 8 KiB, refused above with a 414 problem.</summary>
    public const int MaxUrlBytes = 8 * 1024;

    /// <summary>The longest request line Kestrel reads, so that URLs a little over <see cref="MaxUrlBytes"/> still get a problem document.</summary>
    public const int MaxRequestLineBytes = 64 * 1024;
}

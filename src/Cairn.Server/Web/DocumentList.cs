using Cairn.Domain;

namespace Cairn.Server.Web;

/// <summary>Files as a page lists them (<c>_Documents</c>): where each downloads from, and the page handler that removes one (null: none may be removed here).</summary>
public sealed record DocumentList(IReadOnlyList<Attachment> Files, Func<Attachment, string> Href, string? RemoveHandler = null);

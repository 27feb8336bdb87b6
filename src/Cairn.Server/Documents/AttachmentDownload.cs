using Cairn.Server.Billing;
using Microsoft.Net.Http.Headers;

namespace Cairn.Server.Documents;

/// <summary>
/// How a stored file is served, by the API and the portal alike: always as a download
/// (<c>Content-Disposition: attachment</c> with the file name per RFC 6266, <c>filename*</c> in UTF-8),
/// never sniffed by the browser (<c>X-Content-Type-Options: nosniff</c>), with the media type Cairn
/// recognized, and the SHA-256 of the content as a strong ETag.
/// </summary>
public static class AttachmentDownload
{
    /// <summary>Writes the download headers of <paramref name="file"/> to <paramref name="response"/>.</summary>
    public static void WriteHeaders(HttpResponse response, AttachmentFile file)
    {
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(file.Attachment.FileName);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ETag = $"\"{file.Attachment.Sha256}\"";
        response.Headers.CacheControl = "private, no-cache";
    }

    /// <summary>The file as an endpoint result, with <see cref="WriteHeaders"/>.</summary>
    public static IResult Serve(HttpResponse response, AttachmentFile file)
    {
        WriteHeaders(response, file);
        return Results.Bytes(file.Content, file.Attachment.MediaType);
    }
}

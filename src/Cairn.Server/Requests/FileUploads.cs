using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Requests;

/// <summary>
/// Marks an endpoint or page that takes file uploads (multipart/form-data): its body may be as large
/// as the per-file limit (<c>Cairn:Documents:MaxFileMegabytes</c>) plus <see cref="FormOverheadBytes"/>
/// for the form around it, instead of <see cref="Limits.MaxBodyBytes"/>. The file itself is then
/// judged by the upload rules (<see cref="Billing.Attachments"/>), which name it in their answer.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AcceptsFilesAttribute : Attribute
{
    /// <summary>Room for the form fields and multipart headers around the file.</summary>
    public const int FormOverheadBytes = Limits.MaxBodyBytes;

    /// <summary>The largest request body accepted by the endpoint of <paramref name="context"/>, in bytes.</summary>
    public static long BodyLimitOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<AcceptsFilesAttribute>() is null
            ? Limits.MaxBodyBytes
            : context.RequestServices.GetRequiredService<IOptions<CairnOptions>>().Value.Documents.Limits.MaxFileBytes + FormOverheadBytes;

    /// <summary>Raises the server's body limit for an upload endpoint (Kestrel enforces it while the body is read).</summary>
    public static void Apply(HttpContext context, long limit)
    {
        if (limit > Limits.MaxBodyBytes && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
    }
}

/// <summary>Reads uploaded files for both doors (the API and the web pages).</summary>
public static class Uploads
{
    /// <summary>The name and bytes of an uploaded file, read whole: files are limited in size, and their SHA-256 is taken over all of them.</summary>
    public static async Task<Billing.UploadedFile> ReadAsync(IFormFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var buffer = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
        await file.CopyToAsync(buffer, cancellationToken);
        return new Billing.UploadedFile(file.FileName, buffer.ToArray());
    }
}

using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>A document of a contract of the contact's client, byte for byte as stored (see <see cref="AttachmentDownload"/>); anything they may not see is a 404.</summary>
public sealed class PortalDocumentModel(CairnDb db, Attachments attachments) : WebPage
{
    public async Task<IActionResult> OnGetAsync(Guid id, Guid attachmentId, CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        var visible = attachments.VisibleToContact(PortalAccess.ContractsOf(db, contact)).Where(a => a.ContractId == id);
        if (await attachments.FileAsync(visible, attachmentId, cancellationToken) is not { } file)
            return NotFound();
        AttachmentDownload.WriteHeaders(Response, file);
        return File(file.Content, file.Attachment.MediaType);
    }
}

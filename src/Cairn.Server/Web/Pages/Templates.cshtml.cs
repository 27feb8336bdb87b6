using Cairn.Domain;
using Cairn.Server.Billing;

namespace Cairn.Server.Web.Pages;

/// <summary>The milestone plan templates: Cairn's built-in starters and the organization's own (created and edited through the API).</summary>
public sealed class TemplatesModel(Templates templates) : StaffPage
{
    public IReadOnlyList<Template> Templates { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "contracts";
        Templates = await templates.ListAsync(cancellationToken);
    }
}

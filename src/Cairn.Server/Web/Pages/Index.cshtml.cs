using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages;

/// <summary>The start page: leads to setup on an empty database, to sign-in without a session.</summary>
public sealed class IndexModel(CairnDb db, Provisioning provisioning) : PageModel
{
    public Caller? Caller { get; private set; }

    public string OrganizationName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await provisioning.IsSetUpAsync(cancellationToken))
            return Redirect("/setup");
        Caller = Identity.Caller.From(User);
        if (Caller is null)
            return Redirect("/signin");
        OrganizationName = (await db.Organizations.AsNoTracking().SingleAsync(cancellationToken)).Name;
        return Page();
    }
}

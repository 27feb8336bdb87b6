using System.Net;
using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web;

/// <summary>
/// What every page of the web app shares: running a change in one transaction (the API's unit of
/// work only wraps /api/v1), and showing a domain error next to the field it names while the
/// form keeps what was typed.
/// </summary>
public abstract class WebPage : PageModel
{
    /// <summary>The key of errors that belong to no one field.</summary>
    public const string FormError = "";

    /// <summary>Errors of the form that was posted, keyed by the API's field name (e.g. <c>value.amount</c>).</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The form that was posted, when a page has several (e.g. payment and credit note).</summary>
    public string? PostedForm { get; protected set; }

    /// <summary>A one-line message carried over a redirect, e.g. "Payment recorded".</summary>
    [TempData]
    public string? Flash { get; set; }

    /// <summary>The first error of the posted form for any of the fields, or null.</summary>
    public string? ErrorFor(string form, params string[] fields)
    {
        if (PostedForm != form)
            return null;
        foreach (var field in fields)
        {
            if (Errors.TryGetValue(field, out var message))
                return message;
            var nested = Errors.FirstOrDefault(e => e.Key.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase) || e.Key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase));
            if (nested.Value is not null)
                return nested.Value;
        }

        return null;
    }

    /// <summary>The message under a field (with the id its input names in aria-describedby), or nothing.</summary>
    public IHtmlContent FieldError(string form, string id, params string[] fields) =>
        ErrorFor(form, fields.Length == 0 ? [id] : fields) is { } message
            ? new HtmlString($"<p class=\"field-error\" id=\"{id}-error\">{WebUtility.HtmlEncode(message)}</p>")
            : HtmlString.Empty;

    /// <summary>The summary of the posted form's errors (announced to screen readers), or nothing for any other form.</summary>
    public IHtmlContent ErrorSummary(string form)
    {
        if (PostedForm != form || Errors.Count == 0)
            return HtmlString.Empty;
        var items = string.Concat(Errors.Values.Select(m => $"<li>{WebUtility.HtmlEncode(m)}</li>"));
        return new HtmlString($"<div class=\"error-summary\" role=\"alert\" id=\"{form}-errors\"><h2>Please correct this</h2><ul>{items}</ul></div>");
    }

    /// <summary>"true" for aria-invalid when a field is at fault; null leaves the attribute out.</summary>
    public string? Invalid(string form, params string[] fields) => ErrorFor(form, fields) is null ? null : "true";

    /// <summary>The id of a field's error message for aria-describedby, or null.</summary>
    public string? DescribedBy(string form, string id, params string[] fields) => ErrorFor(form, fields.Length == 0 ? [id] : fields) is null ? null : id + "-error";

    /// <summary>
    /// Runs a change in one transaction that commits only when it succeeds. A domain error rolls
    /// everything back, is kept for the form named <paramref name="form"/>, and sets the status code.
    /// </summary>
    protected async Task<bool> TryChangeAsync(CairnDb db, string form, Func<Task> work)
    {
        PostedForm = form;
        await using var transaction = await db.Database.BeginTransactionAsync(HttpContext.RequestAborted);
        try
        {
            await work();
            await db.SaveChangesAsync(HttpContext.RequestAborted);
            await transaction.CommitAsync(HttpContext.RequestAborted);
            return true;
        }
        catch (DomainException e)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            Errors[e.Error.Field ?? FormError] = e.Error.Message;
            Response.StatusCode = e.Error.Kind switch
            {
                DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
                DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status422UnprocessableEntity,
            };
            return false;
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            Errors[FormError] = "Someone else changed this at the same moment; nothing was saved. Check the page and try again.";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return false;
        }
    }

    /// <summary>Refuses a change the caller may not make: the form says so, and the answer is 403.</summary>
    protected bool Refuse(string form, string what)
    {
        PostedForm = form;
        Errors[FormError] = $"Your role may not {what}.";
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return false;
    }
}

/// <summary>A page of the staff workspace: signed-in staff only (others go to sign-in), with their role's permissions.</summary>
public abstract class StaffPage : WebPage
{
    /// <inheritdoc />
    public override async Task OnPageHandlerExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context, Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        if (Identity.Caller.From(User) is not { IsContact: false })
        {
            var back = Request.Path + Request.QueryString;
            context.Result = LocalRedirect("/signin?ReturnUrl=" + Uri.EscapeDataString(back));
            return;
        }

        await next();
    }

    /// <summary>The signed-in user (the page requires one).</summary>
    public Caller Caller => Identity.Caller.From(User) ?? throw new InvalidOperationException("A staff page without a signed-in user.");

    /// <summary>Whether the signed-in user's role allows something; pages hide what it does not.</summary>
    public bool Can(Permission permission) => Caller.Can(permission);

    /// <summary>Runs a change the role must allow, in one transaction; see <see cref="WebPage.TryChangeAsync"/>.</summary>
    protected Task<bool> TryChangeAsync(CairnDb db, string form, Permission permission, string what, Func<Task> work) =>
        Can(permission) ? TryChangeAsync(db, form, work) : Task.FromResult(Refuse(form, what));
}

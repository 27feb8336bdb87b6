using Cairn.Server.Identity;

namespace Cairn.Server.Api;

/// <summary>Per-route access checks: who is asking (401) and whether their role allows it (403).</summary>
public static class Access
{
    /// <summary>Requires an authenticated staff user or API key whose role grants <paramref name="permission"/>.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, Permission permission)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new RequiredPermission(permission));
        builder.AddEndpointFilter(async (context, next) =>
        {
            var caller = Identity.Caller.From(context.HttpContext.User);
            if (caller is null)
                return Problems.Unauthorized().ToResult();
            if (!caller.Can(permission))
                return Problems.Forbidden(permission.ToString()).ToResult();
            return await next(context);
        });
        return builder;
    }

    /// <summary>The caller of the current request; endpoints behind <see cref="Requires{TBuilder}"/> always have one.</summary>
    public static Caller Caller(this HttpContext context) =>
        Identity.Caller.From(context.User) ?? throw new InvalidOperationException("Route without an access requirement.");
}

/// <summary>Marks a route with the permission it needs, for the permission-matrix tests and the docs.</summary>
public sealed record RequiredPermission(Permission Permission);

namespace Cairn.Server.Identity;

/// <summary>The staff roles of an organization (DESIGN.md §1).</summary>
public enum Role
{
    /// <summary>Everything, including users, API keys and settings.</summary>
    Owner,

    /// <summary>Invoices, credit notes, payments and exports.</summary>
    Finance,

    /// <summary>Clients, contracts, milestones and change orders; no credit notes, no payments.</summary>
    ProjectManager,

    /// <summary>Reads everything, changes nothing.</summary>
    Viewer,
}

/// <summary>What a caller may do. Every mutating route requires exactly one.</summary>
public enum Permission
{
    Read,
    ManageClients,
    ManageTemplates,
    ManageContracts,
    ManageMilestones,
    ManageChangeOrders,
    ResolveDisputes,
    ManageInvoices,
    ManageCreditNotes,
    ManagePayments,
    Export,
    ManageSettings,
    ManageUsers,
    ManageApiKeys,
}

/// <summary>
/// The permission table, in one place. docs/permissions.md shows the same table, and a test
/// checks every cell of it against every mutating route.
/// </summary>
public static class Permissions
{
    private static readonly Dictionary<Role, HashSet<Permission>> Table = new()
    {
        [Role.Owner] = [.. Enum.GetValues<Permission>()],
        [Role.Finance] = [Permission.Read, Permission.ManageInvoices, Permission.ManageCreditNotes, Permission.ManagePayments, Permission.ResolveDisputes, Permission.Export],
        [Role.ProjectManager] = [Permission.Read, Permission.ManageClients, Permission.ManageTemplates, Permission.ManageContracts, Permission.ManageMilestones, Permission.ManageChangeOrders],
        [Role.Viewer] = [Permission.Read],
    };

    /// <summary>Whether a role grants a permission.</summary>
    public static bool Allows(Role role, Permission permission) => Table[role].Contains(permission);
}

using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;

namespace Cairn.Server.Data;

/// <summary>
/// Compiles, once per model, a read that is composed from the rules' own queryables
/// (<see cref="MilestoneBillingQueries"/>, <c>Payments.HoldingCredit</c> …), so each rule keeps its one
/// home and EF Core neither inlines those queryables again nor hashes the grown expression tree on every
/// execution (issue 16: a quarter of the approve read's own CPU).
/// </summary>
/// <remarks>
/// The read is built once as ordinary LINQ against a real context and a sample argument; its expression
/// is then turned into a lambda over the context and the argument: the captured context becomes the
/// lambda's context parameter, the captured sample its argument parameter, and every captured queryable
/// is inlined, as EF Core itself would inline it. The tenant filter reads the executing context's
/// <see cref="CairnDb.TenantId"/> as before. One compiled read per model: a compiled query is bound to the
/// provider it first ran on (a test process runs both engines).
/// </remarks>
public static class CompiledReads
{
    /// <summary>
    /// The single row (or default) of the read <paramref name="build"/> makes for <paramref name="argument"/>,
    /// compiled the first time a context of this model asks under <paramref name="key"/>.
    /// </summary>
    /// <param name="key">One object per read (a static field of its caller), naming it in the cache.</param>
    /// <param name="db">The unit of work to run it in (its tenant, tracking and transaction apply).</param>
    /// <param name="argument">The argument; each call's value goes in as a query parameter.</param>
    /// <param name="build">Builds the read from the context and an argument, as plain LINQ; called once per model with a sample argument.</param>
    public static Task<TResult?> SingleOrDefaultAsync<TResult>(object key, CairnDb db, Guid argument, Func<CairnDb, Guid, IQueryable<TResult>> build, CancellationToken cancellationToken)
    {
        var reads = Reads.GetValue(db.Model, _ => new ConditionalWeakTable<object, object>());
        var read = (Func<CairnDb, Guid, CancellationToken, Task<TResult?>>)reads.GetValue(key, _ => Compile(db, build));
        return read(db, argument, cancellationToken);
    }

    private static readonly ConditionalWeakTable<IModel, ConditionalWeakTable<object, object>> Reads = new();

    /// <summary>Compiles the read; it runs in whichever context executes it, not only the one it was built with.</summary>
    internal static Func<CairnDb, Guid, CancellationToken, Task<TResult?>> Compile<TResult>(CairnDb db, Func<CairnDb, Guid, IQueryable<TResult>> build)
    {
        var sample = Guid.NewGuid();
        var context = Expression.Parameter(typeof(CairnDb), "db");
        var argument = Expression.Parameter(typeof(Guid), "argument");
        var token = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
        var body = new Template(db, sample, context, argument).Visit(build(db, sample).Expression);
        var single = Expression.Call(typeof(Queryable), nameof(Queryable.SingleOrDefault), [typeof(TResult)], body);
        var lambda = Expression.Lambda<Func<CairnDb, Guid, CancellationToken, TResult>>(single, context, argument, token);
        return EF.CompileAsyncQuery(lambda)!;
    }

    // Replaces what the built read captured: the context, the sample argument, and queryables (inlined);
    // and each query root, which holds the query provider of the context it was built with, by the
    // executing context's db.Set<T>(), so the compiled read never mixes two contexts (EF Core refuses that).
    private sealed class Template(CairnDb db, Guid sample, ParameterExpression context, ParameterExpression argument) : ExpressionVisitor
    {
        protected override Expression VisitExtension(Expression node) =>
            node is EntityQueryRootExpression root
                ? Expression.Call(context, nameof(DbContext.Set), [root.EntityType.ClrType])
                : base.VisitExtension(node);

        protected override Expression VisitMember(MemberExpression node)
        {
            if (!TryEvaluate(node, out var value))
                return base.VisitMember(node);
            return value switch
            {
                CairnDb captured when ReferenceEquals(captured, db) => context,
                Guid id when id == sample => argument,
                IQueryable queryable => Visit(queryable.Expression),
                _ => throw new InvalidOperationException(
                    $"A compiled read may capture only its context, its argument and queryables; {node} would be frozen into it."),
            };
        }

        // A member chain that starts at a captured closure (a constant), e.g. value(closure).db.Invoices.
        private static bool TryEvaluate(MemberExpression node, out object? value)
        {
            value = null;
            object? target;
            switch (node.Expression)
            {
                case ConstantExpression constant:
                    target = constant.Value;
                    break;
                case MemberExpression inner when TryEvaluate(inner, out var innerValue):
                    target = innerValue;
                    break;
                default:
                    return false;
            }

            switch (node.Member)
            {
                case FieldInfo field:
                    value = field.GetValue(target);
                    return true;
                case PropertyInfo property when target is not CairnDb:
                    value = property.GetValue(target);
                    return true;
                default:
                    return false;
            }
        }
    }
}

using Cairn.Server.Data;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Persistence;

/// <summary>
/// Issue 16: on PostgreSQL, LINQ queries go out with positional placeholders (<see cref="PositionalParameters"/>).
/// Text that only looks like a placeholder (in a literal, a quoted name or a comment) stays as it is,
/// and a query whose text cannot be rewritten with certainty goes out unchanged.
/// </summary>
public abstract class PositionalParametersTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_query_finds_names_that_hold_placeholders_quotes_and_comment_marks()
    {
        var owner = await _app.NewOrganizationAsync();
        const string odd = "Fees @name for 'Q1' -- /* @p0 $1 \\'";
        await Plans.ClientAsync(owner, odd);
        await Plans.ClientAsync(owner, "Globex");

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        db.TenantId = owner.OrganizationId;
        var name = odd;
        for (var run = 0; run < 3; run++)
        {
            // A literal in the text beside parameters (the organization, the captured name), run more than once (the kept rewrite).
            Assert.Equal([odd], await db.Clients.Where(c => c.Name == "Fees @name for 'Q1' -- /* @p0 $1 \\'").Select(c => c.Name).ToListAsync());
            Assert.Equal([odd], await db.Clients.Where(c => c.Name == name && c.Name.StartsWith("Fees @")).Select(c => c.Name).ToListAsync());
            Assert.Equal(["Globex"], await db.Clients.Where(c => c.Name != name).Select(c => c.Name).ToListAsync());
        }
    }
}

public sealed class SqlitePositionalParameters(SqliteEngine engine) : PositionalParametersTests<SqliteEngine>(engine);

public sealed class PostgresPositionalParameters(PostgresEngine engine) : PositionalParametersTests<PostgresEngine>(engine);

/// <summary>The rewrite itself: which text becomes which, and which is left to Npgsql.</summary>
public sealed class PositionalParameterText
{
    [Theory]
    [InlineData("SELECT c.id FROM clients AS c WHERE c.organization_id = @org AND c.name = @name", "SELECT c.id FROM clients AS c WHERE c.organization_id = $1 AND c.name = $2")]
    [InlineData("SELECT 'a @org '' @name' FROM x WHERE y = @name AND z = @org", "SELECT 'a @org '' @name' FROM x WHERE y = $2 AND z = $1")]
    [InlineData("SELECT E'it\\'s @org' FROM x WHERE \"@name\" = @name AND o = @org", "SELECT E'it\\'s @org' FROM x WHERE \"@name\" = $2 AND o = $1")]
    [InlineData("-- @org tag\nSELECT 1 /* a /* @name */ b */ FROM x WHERE j @> @name AND t @@ @org", "-- @org tag\nSELECT 1 /* a /* @name */ b */ FROM x WHERE j @> $2 AND t @@ $1")]
    public void Placeholders_outside_literals_quoted_names_and_comments_become_positions(string sql, string expected) =>
        Assert.Equal(expected, PositionalParameters.Rewrite.Positional(sql, ["org", "name"]));

    [Theory]
    [InlineData("SELECT 1 FROM x WHERE a = @org; SELECT @name")]
    [InlineData("SELECT $$ @org $$ FROM x WHERE a = @name")]
    [InlineData("SELECT 1 FROM x WHERE a = @org AND b = @other AND c = @name")]
    [InlineData("SELECT 1 FROM x WHERE a = @org")]
    [InlineData("SELECT 1 FROM x WHERE a = $1 AND b = @org AND c = @name")]
    [InlineData("SELECT 'unclosed @org @name")]
    public void A_text_that_cannot_be_rewritten_with_certainty_is_left_to_Npgsql(string sql) =>
        Assert.Null(PositionalParameters.Rewrite.Positional(sql, ["org", "name"]));
}

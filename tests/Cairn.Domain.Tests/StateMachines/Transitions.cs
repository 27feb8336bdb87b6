namespace Cairn.Domain.Tests.StateMachines;

/// <summary>What every state-machine table checks the same way: its coverage, and how a refusal looks.</summary>
internal static class Transitions
{
    /// <summary>Every (state, action) pair of a state machine, in a stable order.</summary>
    public static IReadOnlyList<(TState State, TAction Action)> EveryPair<TState, TAction>()
        where TState : struct, Enum
        where TAction : struct, Enum =>
        [.. from state in Enum.GetValues<TState>() from action in Enum.GetValues<TAction>() select (state, action)];

    /// <summary>The (state, action) pairs named by the first two columns of theory tables, sorted, duplicates kept.</summary>
    public static IReadOnlyList<(TState State, TAction Action)> PairsIn<TState, TAction>(params IEnumerable<object[]>[] tables)
        where TState : struct, Enum
        where TAction : struct, Enum =>
        [.. tables.SelectMany(table => table).Select(row => ((TState)row[0], (TAction)row[1])).Order()];

    /// <summary>
    /// Asserts the refusal is a typed <see cref="InvalidTransition"/> naming the entity, the attempted
    /// action and the state, with a message that says what was tried.
    /// </summary>
    public static void AssertInvalidTransition(DomainException refused, string entity, Guid entityId, string attempted, string state)
    {
        var error = Assert.IsType<InvalidTransition>(refused.Error);
        Assert.Equal((entity, entityId, attempted, state), (error.Entity, error.EntityId, error.Action, error.State));
        Assert.Equal("invalid_transition", error.Code);
        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
        Assert.StartsWith($"Cannot {attempted} {entity} {entityId}: it is {state}. ", refused.Message);
    }
}

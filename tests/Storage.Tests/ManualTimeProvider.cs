namespace Engagement.Tests;

/// <summary>
/// A test clock: <see cref="GetUtcNow"/> returns whatever the test set and moves only when told to
/// (Microsoft.Extensions.TimeProvider.Testing is not available from our package source).
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset utcNow) : TimeProvider
{
    /// <summary>The instant <see cref="GetUtcNow"/> returns.</summary>
    public DateTimeOffset UtcNow { get; set; } = utcNow;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => UtcNow;

    /// <summary>Moves the clock forward (or back, with a negative delta).</summary>
    public void Advance(TimeSpan delta) => UtcNow += delta;
}

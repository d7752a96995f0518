using System.Collections.Concurrent;
using Engagement.Analytics.Model;
using Engagement.Core.Domain;

namespace Engagement.Functions.Risk;

/// <summary>
/// Model artifacts already read, by version, with the artifact text they came from (compared before use, so a model
/// saved again under the same version is read again): an ML.NET model file is loaded once per instance, not at
/// every scoring. One per app (a singleton).
/// </summary>
internal sealed class LoadedModels
{
    private readonly ConcurrentDictionary<string, (string Artifact, RiskModel Model)> _models = new(StringComparer.Ordinal);

    /// <summary>The model of a stored artifact.</summary>
    public RiskModel Get(StoredModel stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!_models.TryGetValue(stored.Version, out var cached) || !string.Equals(cached.Artifact, stored.Artifact, StringComparison.Ordinal))
        {
            cached = (stored.Artifact, RiskModel.FromJson(stored.Artifact));
            _models[stored.Version] = cached;
        }

        return cached.Model;
    }
}

using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>Trained models (artifact and metadata), which one is the champion, and the retraining decisions.</summary>
public interface IModelStore
{
    /// <summary>Stores a model artifact (idempotent by version).</summary>
    Task<WriteOutcome> SaveModelAsync(StoredModel model, CancellationToken cancellationToken = default);

    /// <summary>A stored model, or null.</summary>
    Task<StoredModel?> GetModelAsync(string version, CancellationToken cancellationToken = default);

    /// <summary>Makes a stored model the champion that scores.</summary>
    Task SetChampionAsync(string version, CancellationToken cancellationToken = default);

    /// <summary>The champion, or null while none was promoted (the prior scores then).</summary>
    Task<StoredModel?> GetChampionAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a retraining decision.</summary>
    Task SaveRetrainingAsync(RetrainingRecord record, CancellationToken cancellationToken = default);

    /// <summary>Retraining decisions, newest first.</summary>
    Task<IReadOnlyList<RetrainingRecord>> ListRetrainingsAsync(CancellationToken cancellationToken = default);
}

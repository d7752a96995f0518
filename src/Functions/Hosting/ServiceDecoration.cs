namespace Engagement.Functions.Hosting;

/// <summary>Wraps a registered service in a decorator, keeping its lifetime (features add behaviour to a store port this way).</summary>
internal static class ServiceDecoration
{
    /// <summary>Replaces the registration of <typeparamref name="TService"/> by <paramref name="decorate"/> around it, with the same lifetime.</summary>
    public static void Decorate<TService>(this IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(TService))
            ?? throw new InvalidOperationException($"{typeof(TService).Name} must be registered before it is decorated.");
        services.Remove(original);
        services.Add(ServiceDescriptor.Describe(typeof(TService), provider => decorate(provider, (TService)Create(provider, original)), original.Lifetime));
    }

    private static object Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(provider)
        ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
}

using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using Azure.Storage.Blobs;
using Engagement.Functions.Security;
using Engagement.Functions.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Dashboard;

/// <summary>
/// The dashboard's sign-in session: the cookie holds no key, only which key signed in and until when, encrypted and
/// signed with ASP.NET Core Data Protection. It lasts <see cref="Lifetime"/> by the app's clock, and ends at once when
/// the key is removed or its hash changes. Every instance reads every session: the key ring is shared (see
/// <see cref="DashboardKeyRing"/>).
/// </summary>
internal sealed class DashboardSessions(IDataProtectionProvider protection, ApiKeyRegistry keys, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly IDataProtector _protector = protection.CreateProtector("Engagement.Dashboard.Session.v1");

    /// <summary>A new session for the key whose entry is <paramref name="entry"/>.</summary>
    public string Create(ApiKeyEntry entry)
    {
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        return _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{expires}|{entry.Hash}"));
    }

    /// <summary>The key of a valid, unexpired session, or null for anything else (tampered, expired, key gone).</summary>
    public ApiKeyEntry? Read(string cookie)
    {
        string text;
        try
        {
            text = _protector.Unprotect(cookie);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = text.Split('|', 2);
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && time.GetUtcNow().ToUnixTimeSeconds() < expires
                ? keys.FindByHash(parts[1])
                : null;
    }
}

/// <summary>
/// Where the Data Protection keys of the sessions live, so that a cookie one instance wrote opens on every other: in
/// the models' blob container (under <c>dashboard-keys/</c>) when <c>Storage:Models</c> uses blobs (Azure), else in
/// <c>dashboard-keys/</c> beside the SQLite file; on Table storage without those blobs, in memory (one instance's
/// sessions). The container is private and the folder the app's own.
/// </summary>
internal sealed class DashboardKeyRing(IOptions<StorageOptions> storage, IHostEnvironment environment, ILoggerFactory loggers) : IConfigureOptions<KeyManagementOptions>
{
    public const string Folder = "dashboard-keys";

    public void Configure(KeyManagementOptions options)
    {
        var models = storage.Value.Models;
        if (models.UsesBlobs)
        {
            options.XmlRepository = new BlobXmlRepository(models.ContainerClient(), models.CreatesContainer);
            return;
        }

        if (storage.Value.UsesTables)
        {
            // Table storage without the models' blobs has no folder of its own (the app root may be read-only): the
            // keys live as long as the instance, and so do the sessions.
            options.XmlRepository = new MemoryXmlRepository();
            return;
        }

        options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(storage.Value.Sqlite.Folder(environment.ContentRootPath), Folder)), loggers);
    }
}

/// <summary>Data Protection keys kept in memory, for one instance's lifetime.</summary>
internal sealed class MemoryXmlRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];
    private readonly Lock _gate = new();

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_gate)
        {
            return [.. _elements.Select(e => new XElement(e))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_gate)
        {
            _elements.Add(new XElement(element));
        }
    }
}

/// <summary>Data Protection keys as blobs <c>dashboard-keys/{name}.xml</c> of a container.</summary>
internal sealed class BlobXmlRepository(BlobContainerClient container, bool createContainer) : IXmlRepository
{
    private const string Prefix = DashboardKeyRing.Folder + "/";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        if (createContainer)
        {
            container.CreateIfNotExists();
        }

        var elements = new List<XElement>();
        foreach (var item in container.GetBlobs(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = Prefix }))
        {
            using var stream = container.GetBlobClient(item.Name).OpenRead();
            elements.Add(XElement.Load(stream));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (createContainer)
        {
            container.CreateIfNotExists();
        }

        using var stream = new MemoryStream();
        element.Save(stream, SaveOptions.DisableFormatting);
        stream.Position = 0;
        container.GetBlobClient($"{Prefix}{friendlyName}.xml").Upload(stream, overwrite: false);
    }
}

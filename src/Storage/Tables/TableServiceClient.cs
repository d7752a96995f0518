using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Engagement.Storage.Tables;

/// <summary>Options of the Table client: Azure.Core's retry (exponential, honouring Retry-After) and diagnostics.</summary>
public sealed class TableClientOptions : ClientOptions
{
    /// <summary>The REST API version sent as <c>x-ms-version</c>.</summary>
    public string ServiceVersion { get; set; } = "2019-02-02";
}

/// <summary>
/// The account-level client, shaped like Azure.Data.Tables' <c>TableServiceClient</c>: it signs and retries requests
/// through one Azure.Core <see cref="HttpPipeline"/> and hands out per-table clients.
/// </summary>
public sealed partial class TableServiceClient
{
    private readonly HttpPipeline _pipeline;
    private readonly string _serviceVersion;

    public TableServiceClient(TableConnection connection, TableClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new TableClientOptions();
        time ??= TimeProvider.System;
        HttpPipelinePolicy authentication = connection.AccountKey is { } key
            ? new SharedKeyLitePolicy(connection.AccountName, key, time)
            : new BearerTokenAuthenticationPolicy(connection.Credential ?? throw new ArgumentException("A TableConnection needs an account key or a credential.", nameof(connection)), "https://storage.azure.com/.default");
        _pipeline = HttpPipelineBuilder.Build(options, [], [authentication], new ResponseClassifier());
        _serviceVersion = options.ServiceVersion;
        Endpoint = connection.Endpoint;
        AccountName = connection.AccountName;
    }

    public Uri Endpoint { get; }

    public string AccountName { get; }

    public TableClient GetTableClient(string tableName)
    {
        ValidateTableName(tableName);
        return new TableClient(this, tableName);
    }

    /// <summary>Creates the table unless it exists. Returns true when it was created.</summary>
    public async Task<bool> CreateTableIfNotExistsAsync(string tableName, CancellationToken cancellationToken = default)
    {
        ValidateTableName(tableName);
        var request = CreateRequest(RequestMethod.Post, "Tables");
        request.Headers.SetValue("Prefer", "return-no-content");
        request.Headers.SetValue("Content-Type", "application/json");
        request.Content = RequestContent.Create(System.Text.Encoding.UTF8.GetBytes($$"""{"TableName":"{{tableName}}"}"""));
        using var response = await SendAsync(request, cancellationToken);
        if (response.Status is 201 or 204)
        {
            return true;
        }

        var error = ReadError(response);
        return error.ErrorCode == "TableAlreadyExists" && response.Status == 409 ? false : throw error;
    }

    /// <summary>Deletes a table; true when it existed.</summary>
    public async Task<bool> DeleteTableAsync(string tableName, CancellationToken cancellationToken = default)
    {
        ValidateTableName(tableName);
        var request = CreateRequest(RequestMethod.Delete, $"Tables('{tableName}')");
        using var response = await SendAsync(request, cancellationToken);
        return response.Status == 204 || (response.Status == 404 ? false : throw ReadError(response));
    }

    internal Request CreateRequest(RequestMethod method, string path)
    {
        var request = _pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(Endpoint);
        request.Uri.AppendPath(path, escape: false);
        request.Headers.SetValue("x-ms-version", _serviceVersion);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.SetValue("Accept", "application/json;odata=minimalmetadata");
        return request;
    }

    /// <summary>Sends a request; a transport failure after retries becomes a <see cref="TableServiceException"/> with status 0.</summary>
    internal async Task<Response> SendAsync(Request request, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.SendRequestAsync(request, cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            throw new TableServiceException(ex.Status, ex.ErrorCode, $"The Table service could not be reached: {ex.Message}", ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is RequestFailedException))
        {
            // Azure.Core's retry gathers each attempt's transport failure.
            var last = (RequestFailedException)ex.InnerExceptions[^1];
            throw new TableServiceException(last.Status, last.ErrorCode, $"The Table service could not be reached after {ex.InnerExceptions.Count} attempts: {last.Message}", ex);
        }
        finally
        {
            request.Dispose();
        }
    }

    internal static TableServiceException ReadError(Response response)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var headerCode);
        var (code, text) = TableEntityJson.ReadError(response.Content?.ToString(), headerCode);
        var firstLine = text.Split('\n')[0];
        return new TableServiceException(response.Status, code, $"The Table service answered {response.Status} {code}: {firstLine}");
    }

    private static void ValidateTableName(string tableName)
    {
        if (!TableName().IsMatch(tableName) || tableName.Equals("tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{tableName}' is not a valid table name (a letter, then 2–62 letters or digits).", nameof(tableName));
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Engagement.Storage.Tables;

/// <summary>
/// Signs each attempt with Shared Key Lite for the Table service:
/// <c>StringToSign = x-ms-date + "\n" + "/" + account + encoded URI path [+ "?comp=…"]</c>.
/// With Azurite's path-style URLs the account appears twice in the signed resource, as the emulator expects.
/// </summary>
internal sealed class SharedKeyLitePolicy(string accountName, string accountKey, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    private readonly byte[] _key = Convert.FromBase64String(accountKey);

    public override void OnSendingRequest(HttpMessage message)
    {
        var date = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        message.Request.Headers.SetValue("x-ms-date", date);
        var signature = Sign(StringToSign(accountName, date, message.Request.Uri.ToUri()));
        message.Request.Headers.SetValue("Authorization", $"SharedKeyLite {accountName}:{signature}");
    }

    internal static string StringToSign(string accountName, string date, Uri uri)
    {
        var resource = "/" + accountName + uri.AbsolutePath;
        var comp = System.Web.HttpUtility.ParseQueryString(uri.Query)["comp"];
        if (comp is not null)
        {
            resource += "?comp=" + comp;
        }

        return date + "\n" + resource;
    }

    internal string Sign(string stringToSign) => Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));
}

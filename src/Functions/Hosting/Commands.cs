using Engagement.Functions.Security;

namespace Engagement.Functions.Hosting;

/// <summary>
/// Commands of the app besides serving:
/// <c>new-key</c> prints a fresh API key and its hash;
/// <c>hash-key KEY</c> prints the hash to put in <c>Auth:ApiKeys:N:Hash</c>;
/// <c>evaluate --csv FILE [--split-at DATE]</c> backtests the model on an attendance file.
/// </summary>
internal static class Commands
{
    public static async Task<bool> TryRunAsync(string[] args, TextWriter output, TextWriter? errors = null)
    {
        errors ??= Console.Error;
        if (args.Length == 0)
        {
            return false;
        }

        switch (args[0])
        {
            case "new-key":
                var key = KeyHasher.NewKey();
                await output.WriteLineAsync($"key:  {key}");
                await output.WriteLineAsync($"hash: {KeyHasher.Hash(key)}");
                return true;
            case "hash-key":
                if (args.Length < 2)
                {
                    await output.WriteLineAsync("usage: hash-key <key>");
                    Environment.ExitCode = 2;
                    return true;
                }

                await output.WriteLineAsync(KeyHasher.Hash(args[1]));
                return true;
            case "evaluate":
                Environment.ExitCode = await EvaluateCommand.RunAsync(args[1..], output, errors);
                return true;
            default:
                return false;
        }
    }
}

using System.Security.Cryptography;

namespace Engagement.Functions.Hosting;

/// <summary>
/// A secret a developer's machine may go without setting: created once, base64, in a file beside the data that only the
/// app's user may read, and read back on every later run so that what it signs or derives stays the same.
/// </summary>
internal static class DevelopmentSecret
{
    /// <summary>The secret kept in <paramref name="fileName"/> under <paramref name="folder"/>, created there if there is none yet.</summary>
    public static (string Secret, bool Created, string File) ReadOrCreate(string folder, string fileName, int bytes)
    {
        var file = Path.Combine(folder, fileName);
        if (File.Exists(file))
        {
            return (File.ReadAllText(file).Trim(), false, file);
        }

        Directory.CreateDirectory(folder);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
        // Readable by the app's user only, where the file system says so.
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(file, create))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(secret);
        }

        return (secret, true, file);
    }

    /// <summary>Whether <paramref name="secret"/> is base64 of at least <paramref name="minimumBytes"/> bytes.</summary>
    public static bool IsValid(string secret, int minimumBytes)
    {
        var bytes = new byte[secret.Length];
        return Convert.TryFromBase64String(secret.Trim(), bytes, out var written) && written >= minimumBytes;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace GraphNotifications.Bench.FeedPage;

/// <summary>What the numbers were measured on: they mean little without it.</summary>
internal static class Machine
{
    public static List<(string Label, string Value)> Describe(string repositoryRoot)
    {
        string commit = Run("git", "-C", repositoryRoot, "rev-parse", "HEAD") ?? "unknown";
        string? changes = Run("git", "-C", repositoryRoot, "status", "--porcelain", "--untracked-files=no");
        return
        [
            ("Commit", commit + (string.IsNullOrWhiteSpace(changes) ? "" : " (with uncommitted changes)")),
            ("CPUs (nproc)", Run("nproc") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
            ("CPU model", FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString()),
            ("Memory", FirstValue("/proc/meminfo", "MemTotal") is { } kb ? $"{long.Parse(kb.Split(' ')[0], CultureInfo.InvariantCulture) / 1048576.0:0.0} GiB" : "unknown"),
            ("OS", $"{OsName()}, kernel {Read("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.VersionString}"),
            (".NET", $"SDK {Run("dotnet", "--version") ?? "unknown"}, runtime {RuntimeInformation.FrameworkDescription}"),
            ("Load average at the start", LoadAverage()),
        ];
    }

    public static string LoadAverage() => Read("/proc/loadavg") is { } text ? string.Join(' ', text.Split(' ').Take(3)) : "unknown";

    private static string OsName() =>
        File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription
            : RuntimeInformation.OSDescription;

    private static string? FirstValue(string file, string key) =>
        File.Exists(file)
            ? File.ReadLines(file).Where(l => l.StartsWith(key, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault()
            : null;

    private static string? Read(string file) => File.Exists(file) ? File.ReadAllText(file).Trim() : null;

    private static string? Run(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

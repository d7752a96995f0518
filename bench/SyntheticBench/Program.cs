using System.Diagnostics;
using System.Text;
using Engagement.Analytics.Synthetic;

// Times the synthetic generator on the 1,000,000-row case: 400 partnerships of 25 organisations (10,000
// organisations), about 100 meetings each (110 months less the Julys), then the attendance CSV of that dataset.
// Run in Release: dotnet run -c Release --project bench/SyntheticBench [-- --runs 5]
var runs = args.Length == 2 && args[0] == "--runs" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
var options = new SyntheticOptions
{
    Seed = 2024,
    Partnerships = 400,
    LargeNetworkShare = 1,
    LargeNetworkSize = new(25, 25),
    Months = 110,
};

SyntheticGenerator.Generate(options with { Partnerships = 10 }); // JIT warm-up
var times = new List<double>();
SyntheticDataset? dataset = null;
long allocated = 0;
for (var run = 0; run < runs; run++)
{
    dataset = null;
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var stopwatch = Stopwatch.StartNew();
    dataset = SyntheticGenerator.Generate(options);
    stopwatch.Stop();
    allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
    times.Add(stopwatch.Elapsed.TotalMilliseconds);
}

GC.Collect();
var retained = GC.GetTotalMemory(forceFullCollection: true);
var rows = dataset!.Partnerships.Sum(p => (long)p.Attendance.Count);
var submissions = dataset.Partnerships.Sum(p => (long)p.Submissions.Count);
var meetings = dataset.Partnerships.Sum(p => p.Meetings.Count);
times.Sort();
Console.WriteLine($"Generate: {rows:N0} attendance rows, {meetings:N0} meetings, {submissions:N0} submissions, {dataset.People.Count:N0} people");
Console.WriteLine($"  {runs} runs: min {times[0]:F0} ms, median {times[times.Count / 2]:F0} ms, max {times[^1]:F0} ms");
Console.WriteLine($"  allocated {allocated / 1048576.0:F0} MiB per run; heap holding the dataset {retained / 1048576.0:F0} MiB");

var csv = Stopwatch.StartNew();
using (var writer = new StreamWriter(Stream.Null, new UTF8Encoding(false), 1 << 16))
{
    SyntheticGenerator.WriteAttendanceCsv(dataset, writer);
}

csv.Stop();
Console.WriteLine($"WriteAttendanceCsv: {csv.Elapsed.TotalMilliseconds:F0} ms for {rows:N0} rows");

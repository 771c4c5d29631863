using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HybridAI.Cli.Data;
using HybridAI.Quality.Calibration;
using HybridAI.Quality.Charts;

namespace HybridAI.Cli.Commands;

/// <summary>
/// <c>hybridai calibrate</c>: proposes a routing threshold meeting an operator's target from observed samples (JSONL
/// with parity), or from routing labels (the head scores the prompts and the labels play the judge), prints the
/// cost/quality curve and, last, one JSON object. Exit code 0 with a proposal, 2 without (unreachable or too few samples).
/// </summary>
public static class CalibrateCommand
{
    public const int NoProposal = 2;

    public static Command Create()
    {
        var common = new CommonOptions();
        var data = new Option<FileInfo>("--data") { Description = "JSONL samples {needs_llm_probability, parity, slm_cost_micros, llm_cost_micros[, faq_score, cascade_confidence]} or routing labels {prompt, weak_correct, strong_correct}", Required = true };
        var target = new Option<string>("--target") { Description = "\"parity>=0.95\" (cheapest threshold keeping parity), \"llm-share<=0.30\" (best parity within that LLM share), or both", Required = true };
        var head = new Option<FileInfo?>("--head") { Description = "Routing labels only: the needs-llm head that scores the prompts (default: the shipped one)" };
        var signalOption = new Option<string>("--signal") { Description = "needs_llm, faq_score or cascade_confidence", DefaultValueFactory = _ => "needs_llm" };
        var current = new Option<double?>("--current") { Description = "The threshold in force now, shown beside the proposal (default: the router's default for the signal)" };
        var chart = new Option<FileInfo?>("--chart") { Description = "Write the cost/quality curve as SVG" };
        var holdout = new Option<double>("--holdout") { Description = "Share of the samples held back (split with --seed) to check the proposal on data it was not chosen on", DefaultValueFactory = _ => 0 };
        var slmCost = new Option<double>("--slm-cost-micros") { Description = "Routing labels only: cost of an SLM answer (µ$)", DefaultValueFactory = _ => 100 };
        var llmCost = new Option<double>("--llm-cost-micros") { Description = "Routing labels only: cost of an LLM answer (µ$)", DefaultValueFactory = _ => 2000 };
        var minSamples = new Option<int>("--min-samples") { Description = "Fewest samples carrying the signal to propose anything", DefaultValueFactory = _ => CalibrationSettings.Default.MinSamples };
        var z = new Option<double>("--z") { Description = "One-sided z of the bounds the proposal must meet (1.645: 95%)", DefaultValueFactory = _ => CalibrationSettings.Default.Z };
        var command = new Command("calibrate", "Propose a routing threshold that meets a parity or LLM-share target, with its cost/quality curve.")
        {
            data, target, head, signalOption, current, chart, holdout, slmCost, llmCost, minSamples, z,
        };
        common.AddTo(command);
        command.SetAction((result, ct) =>
        {
            var goal = CalibrationTarget.Parse(result.GetValue(target));
            if (!ThresholdSignals.TryParse(result.GetValue(signalOption)!, out var signal))
            {
                throw new ArgumentException($"--signal must be needs_llm, faq_score or cascade_confidence, not '{result.GetValue(signalOption)}'.");
            }

            var share = result.GetValue(holdout);
            if (share is < 0 or >= 1)
            {
                throw new ArgumentException($"--holdout must be at least 0 and below 1, not {share.ToString(CultureInfo.InvariantCulture)}.");
            }

            var path = result.GetValue(data)!.FullName;
            var samples = IsLabels(path)
                ? FromLabels(path, result.GetValue(head)?.FullName, common, result, result.GetValue(slmCost), result.GetValue(llmCost), ct)
                : CalibrationSampleJson.Read(path);
            var (training, heldBack) = Split(samples, share, result.GetValue(common.Seed));
            var settings = new CalibrationSettings { MinSamples = result.GetValue(minSamples), Z = result.GetValue(z) };
            var now = result.GetValue(current) ?? DefaultThreshold(signal);
            var calibration = Calibrator.Calibrate(training, signal, goal, now, settings);
            var check = calibration.Chosen is { } chosen && heldBack.Count > 0 ? Calibrator.Evaluate(heldBack, signal, chosen.Threshold, settings) : null;

            Print(calibration, check, heldBack.Count);
            if (result.GetValue(chart) is { } chartFile)
            {
                File.WriteAllText(chartFile.FullName, CalibrationChart.ToSvg(calibration));
                Console.WriteLine($"wrote {chartFile.FullName}");
            }

            Console.WriteLine(JsonSerializer.Serialize(Summary(calibration, check, goal)));
            return Task.FromResult(calibration.Chosen is null ? NoProposal : 0);
        });
        return command;
    }

    /// <summary>The router's defaults (Router:Policy:Thresholds).</summary>
    private static double DefaultThreshold(ThresholdSignal signal) => signal switch
    {
        ThresholdSignal.NeedsLlm => 0.3,
        ThresholdSignal.FaqScore => 0.7,
        _ => -1.2,
    };

    private static bool IsLabels(string path)
    {
        var first = File.ReadLines(path).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l))
            ?? throw new DataFormatException(path, 0, "the file is empty");
        try
        {
            using var row = JsonDocument.Parse(first);
            return row.RootElement.ValueKind == JsonValueKind.Object && !CalibrationSampleJson.LooksLikeSample(row.RootElement)
                && row.RootElement.TryGetProperty("weak_correct", out _);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, 1, $"expected JSON lines ({e.Message})");
        }
    }

    private static List<CalibrationSample> FromLabels(string path, string? headPath, CommonOptions common, ParseResult result, double slm, double llm, CancellationToken ct)
    {
        var rows = Datasets.LoadRouting(path);
        using var encoder = common.OpenEncoder(result);
        var runner = new HeadRunner(headPath ?? CommonOptions.DefaultHead("needs-llm"), encoder);
        var prompts = rows.Select(r => r.Prompt).ToArray();
        var embeddings = encoder.Embed(prompts, "prompts", ct);
        var samples = new List<CalibrationSample>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var parity = rows[i].WeakCorrect || !rows[i].StrongCorrect ? 1 : 0;
            samples.Add(new CalibrationSample(runner.Positive(embeddings, i, rows[i].Prompt), null, null, parity, slm, llm) { Source = "label" });
        }

        return samples;
    }

    private static (List<CalibrationSample> Training, List<CalibrationSample> HeldBack) Split(List<CalibrationSample> samples, double share, int seed)
    {
        if (share == 0)
        {
            return (samples, []);
        }

        var order = Enumerable.Range(0, samples.Count).ToArray();
        new Random(seed).Shuffle(order);
        var held = (int)Math.Round(samples.Count * share);
        return (order.Skip(held).Select(i => samples[i]).ToList(), order.Take(held).Select(i => samples[i]).ToList());
    }

    private static void Print(CalibrationResult result, CurvePoint? check, int heldBack)
    {
        Console.WriteLine($"{result.Signal.Name()}: {result.SampleCount} samples, target {result.Target}; all-LLM cost {result.AllLlmCostMicros:0.#} µ$/request");
        var table = new ConsoleTable("", "threshold", "LLM share", "parity", "parity low", "cost µ$/req", "savings");
        var rows = new List<(string Label, CurvePoint Point)>();
        for (var i = 0; i <= 10 && result.Curve.Count > 0; i++)
        {
            var wanted = 1 - (i / 10.0);
            rows.Add(("", result.Curve.MinBy(p => Math.Abs(p.LlmShare - wanted))!));
        }

        if (result.Current is { } now)
        {
            rows.Add(("now", now));
        }

        if (result.Chosen is { } chosen)
        {
            rows.Add(("proposed", chosen));
        }

        foreach (var (label, p) in rows.DistinctBy(r => (r.Label, r.Point.Threshold)))
        {
            table.Add(label, p.Threshold, p.LlmShare, p.Parity, p.ParityLowerBound, p.CostMicros,
                result.AllLlmCostMicros > 0 ? 1 - (p.CostMicros / result.AllLlmCostMicros) : 0);
        }

        Console.Write(table);
        Console.WriteLine(result.Message);
        if (check is not null)
        {
            var met = Meets(check, result.Target);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"held back ({heldBack} samples): parity {check.Parity:P1}, LLM share {check.LlmShare:P1}, cost {check.CostMicros:0.#} µ$/request: target {(met ? "met" : "NOT met")}."));
        }
    }

    private static bool Meets(CurvePoint point, CalibrationTarget target) =>
        (target.MinParity is not { } p || point.Parity >= p) && (target.MaxLlmShare is not { } s || point.LlmShare <= s);

    private static Dictionary<string, object?> Summary(CalibrationResult result, CurvePoint? check, CalibrationTarget target)
    {
        var summary = new Dictionary<string, object?>
        {
            ["status"] = result.Status switch
            {
                CalibrationStatus.Proposed => "proposed",
                CalibrationStatus.Unreachable => "unreachable",
                _ => "insufficient_data",
            },
            ["signal"] = result.Signal.Name(),
            ["target"] = target.ToString(),
            ["n"] = result.SampleCount,
        };
        if (result.Chosen is { } c)
        {
            summary["threshold"] = Math.Round(c.Threshold, 6);
            summary["parity"] = Math.Round(c.Parity, 4);
            summary["parity_lower_bound"] = Math.Round(c.ParityLowerBound, 4);
            summary["llm_share"] = Math.Round(c.LlmShare, 4);
            summary["cost_micros"] = Math.Round(c.CostMicros, 2);
            summary["savings"] = Math.Round(result.Savings ?? 0, 4);
        }

        if (result.Current is { } now)
        {
            summary["current"] = new Dictionary<string, double> { ["threshold"] = now.Threshold, ["parity"] = Math.Round(now.Parity, 4), ["llm_share"] = Math.Round(now.LlmShare, 4) };
        }

        if (check is not null)
        {
            summary["holdout"] = new Dictionary<string, object>
            {
                ["n"] = check.Count,
                ["parity"] = Math.Round(check.Parity, 4),
                ["llm_share"] = Math.Round(check.LlmShare, 4),
                ["cost_micros"] = Math.Round(check.CostMicros, 2),
                ["target_met"] = Meets(check, target),
            };
        }

        return summary;
    }
}

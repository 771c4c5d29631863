using System.Text.Json;
using System.Text.Json.Serialization;

namespace HybridAI.SlmInference.Core.Heads;

/// <summary>
/// The on-disk form of a classification head (<c>*.head.json</c>), written by <c>hybridai train</c> and read by
/// slm-inference: a linear layer over an encoder's embedding (plus optional text features) with softmax or sigmoid, or
/// (<see cref="HeadKind.Gain"/>) two binary predictors whose difference is calibrated into the positive label's probability.
/// The format is documented in docs/slm-inference.md; <see cref="CurrentVersion"/> changes on any breaking change.
/// </summary>
public sealed record HeadFile
{
    /// <summary>Marks the file type; always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentVersion;

    public required string Name { get; init; }

    public required HeadKind Kind { get; init; }

    /// <summary>Softmax: one per output row. Sigmoid: exactly two, the negative label then the positive one.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>The encoder the head was trained on; a head refuses to load against any other.</summary>
    public required HeadEncoder Encoder { get; init; }

    public required int EmbeddingDimensions { get; init; }

    /// <summary>
    /// What the head reads from the encoder: the sentence embedding (mean pooling, the default), or the mean-pooled and
    /// the max-pooled token states side by side (<see cref="HeadPooling.MeanMax"/>: twice the embedding's dimensions).
    /// </summary>
    public HeadPooling Pooling { get; init; } = HeadPooling.Mean;

    /// <summary>Extra text features appended after the embedding, or <see langword="null"/>.</summary>
    public HeadFeatures? Features { get; init; }

    /// <summary>
    /// Rows of <c>EmbeddingDimensions + Features.Names.Count</c> weights: one per label (softmax), one (sigmoid), or three
    /// (gain: the positive outcome's logit, the negative outcome's logit, and a linear term added to their difference).
    /// </summary>
    public required IReadOnlyList<float[]> Weights { get; init; }

    /// <summary>One bias per weight row.</summary>
    public required float[] Bias { get; init; }

    /// <summary>Calibration temperature: logits are divided by it before softmax/sigmoid (1 = none).</summary>
    public double Temperature { get; init; } = 1;

    /// <summary>Gain heads: maps the gain to the positive label's probability, <c>σ(slope × gain + intercept)</c>.</summary>
    public HeadCalibration? Calibration { get; init; }

    /// <summary>When the best probability is below the threshold, the head answers the unknown label instead.</summary>
    public HeadUnknown? Unknown { get; init; }

    /// <summary>Free-form facts about training (tool, date, data, metrics); not used for inference.</summary>
    public JsonElement? Training { get; init; }

    public const string FormatName = "hybridai-head";
    public const int CurrentVersion = 1;

    /// <summary>How head files are (de)serialised: snake_case names, enums as strings.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
    };

    /// <summary>Reads and validates a head file; every problem is reported with the file named.</summary>
    public static HeadFile Read(string path)
    {
        HeadFile? file;
        try
        {
            file = JsonSerializer.Deserialize<HeadFile>(File.ReadAllBytes(path), SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid head file: {e.Message}", e);
        }

        if (file is null)
        {
            throw new InvalidDataException($"{path} is not a valid head file: it is empty (null).");
        }

        var problems = file.Validate().ToArray();
        return problems.Length == 0
            ? file
            : throw new InvalidDataException($"{path} is not a valid head file: {string.Join("; ", problems)}.");
    }

    /// <summary>Writes the head as JSON (floats round-trip exactly).</summary>
    public void Write(string path)
    {
        var problems = Validate().ToArray();
        if (problems.Length > 0)
        {
            throw new InvalidDataException($"Head '{Name}' is not valid: {string.Join("; ", problems)}.");
        }

        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, SerializerOptions));
    }

    /// <summary>Every rule a head file must satisfy.</summary>
    public IEnumerable<string> Validate()
    {
        if (Format != FormatName)
        {
            yield return $"format must be '{FormatName}', but is '{Format}'";
        }

        if (FormatVersion != CurrentVersion)
        {
            yield return $"format_version {FormatVersion} is not supported (this build reads {CurrentVersion})";
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return "name is empty";
        }

        if (Labels is null || Labels.Count < 2 || Labels.Any(string.IsNullOrEmpty) || Labels.Distinct(StringComparer.Ordinal).Count() != Labels.Count)
        {
            yield return "labels must hold at least two distinct, non-empty names";
            yield break;
        }

        if (Kind is HeadKind.Sigmoid or HeadKind.Gain && Labels.Count != 2)
        {
            yield return $"a {Kind.ToString().ToLowerInvariant()} head has exactly two labels (negative, positive), but this one has {Labels.Count}";
        }

        if (Kind == HeadKind.Gain && !(Calibration is { } c && c.Slope > 0 && double.IsFinite(c.Slope) && double.IsFinite(c.Intercept)))
        {
            yield return "a gain head needs calibration with a positive, finite slope and a finite intercept";
        }
        else if (Kind != HeadKind.Gain && Calibration is not null)
        {
            yield return "calibration applies to gain heads only";
        }

        if (Encoder is null || string.IsNullOrEmpty(Encoder.Name) || Encoder.Sha256 is not { Length: 64 })
        {
            yield return "encoder must name the encoder and its 64-character SHA-256";
        }

        if (EmbeddingDimensions <= 0)
        {
            yield return "embedding_dimensions must be positive";
        }

        if (Features is not null && TextFeatures.Unsupported(Features.Version, Features.Names) is { } unsupported)
        {
            yield return unsupported;
        }

        var inputs = InputDimensions;
        var rows = Kind switch { HeadKind.Sigmoid => 1, HeadKind.Gain => 3, _ => Labels.Count };
        if (Weights is null || Weights.Count != rows || Weights.Any(w => w is null || w.Length != inputs))
        {
            yield return $"weights must be {rows} row(s) of {inputs} values (pooled encoder outputs {PooledDimensions} + {inputs - PooledDimensions} features)";
        }
        else if (Weights.Any(w => w.Any(v => !float.IsFinite(v))))
        {
            yield return "weights hold a value that is not a finite number";
        }

        if (Bias is null || Bias.Length != rows || Bias.Any(b => !float.IsFinite(b)))
        {
            yield return $"bias must hold {rows} finite value(s)";
        }

        if (Features is { } f && (f.Mean.Length != f.Names.Count || f.Scale.Length != f.Names.Count || f.Scale.Any(s => !(s > 0))))
        {
            yield return "features.mean and features.scale must hold one value per feature, scales positive";
        }

        if (!(Temperature > 0) || double.IsInfinity(Temperature))
        {
            yield return $"temperature must be a positive number, but is {Temperature}";
        }

        if (Unknown is { } u && (!(u.Threshold is > 0 and < 1) || string.IsNullOrEmpty(u.Label) || Labels.Contains(u.Label)))
        {
            yield return "unknown.threshold must be in (0, 1) and unknown.label a name that is not one of the labels";
        }
    }

    /// <summary>Length of the head's input: embedding plus features.</summary>
    [JsonIgnore]
    public int InputDimensions => PooledDimensions + (Features?.Names.Count ?? 0);

    /// <summary>Length of the pooled encoder outputs the head reads (embedding, or embedding and max pooling).</summary>
    [JsonIgnore]
    public int PooledDimensions => EmbeddingDimensions * (Pooling == HeadPooling.MeanMax ? 2 : 1);
}

/// <summary>Multinomial (one label of many) or binary.</summary>
public enum HeadKind
{
    /// <summary>One row per label, softmax over them.</summary>
    Softmax,

    /// <summary>One row; sigmoid gives the positive label's probability.</summary>
    Sigmoid,

    /// <summary>
    /// Three rows: <c>gain = σ(z₀ / T) − σ(z₁ / T) + z₂</c>, where z₀ and z₁ are the logits of two binary predictions
    /// (for needs-LLM: "the large model answers well" and "the small model answers well") and z₂ a linear correction;
    /// the positive label's probability is <c>σ(slope × gain + intercept)</c> (<see cref="HeadFile.Calibration"/>).
    /// Ranking by the expected gain of the positive choice, not by one outcome's probability, is what routing needs.
    /// </summary>
    Gain,
}

/// <summary>Platt scaling of a gain head's score into its positive label's probability.</summary>
public sealed record HeadCalibration(double Slope, double Intercept);

/// <summary>Which pooled encoder outputs a head reads.</summary>
public enum HeadPooling
{
    /// <summary>The sentence embedding: attention-masked mean pooling, L2-normalised.</summary>
    Mean,

    /// <summary>The sentence embedding followed by max pooling of the token states, L2-normalised.</summary>
    MeanMax,
}

/// <summary>The encoder a head was trained on.</summary>
public sealed record HeadEncoder(string Name, string Sha256);

/// <summary>Text features (see <see cref="TextFeatures"/>) with the standardisation learned in training: (x − mean) / scale.</summary>
public sealed record HeadFeatures(int Version, IReadOnlyList<string> Names, float[] Mean, float[] Scale);

/// <summary>Abstention: below <see cref="Threshold"/> the head answers <see cref="Label"/>.</summary>
public sealed record HeadUnknown(double Threshold, string Label = "unknown");

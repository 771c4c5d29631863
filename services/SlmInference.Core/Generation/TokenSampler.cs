namespace HybridAI.SlmInference.Core.Generation;

/// <summary>
/// Chooses the next token from logits: greedy (arg-max, lowest id on ties) or temperature with nucleus (top-p) sampling
/// from a seeded generator, and reports the chosen token's log-probability under the unmodified distribution.
/// </summary>
public sealed class TokenSampler
{
    private readonly double _temperature;
    private readonly double _topP;
    private readonly Random? _random;
    private int[] _order = [];
    private double[] _probabilities = [];

    public TokenSampler(double temperature, double topP, ulong? seed)
    {
        if (double.IsNaN(temperature) || double.IsNaN(topP) || topP <= 0 || topP > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(topP), "top_p must be in (0, 1] and temperature a number.");
        }

        _temperature = temperature;
        _topP = topP;
        if (temperature > 0)
        {
            // Random(int) is a documented, stable algorithm for a given seed; fold the 64-bit seed into it.
            _random = new Random(seed is { } s ? unchecked((int)(s ^ (s >> 32))) : Random.Shared.Next());
        }
    }

    public bool IsGreedy => _random is null;

    /// <summary>Picks a token and returns it with its log-probability (log-softmax of the raw logits).</summary>
    public (int Token, float LogProbability) Next(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        var argmax = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            if (logits[i] > max)
            {
                max = logits[i];
                argmax = i;
            }
        }

        var sum = 0d;
        for (var i = 0; i < logits.Length; i++)
        {
            sum += Math.Exp(logits[i] - max);
        }

        var logSum = Math.Log(sum) + max;
        var token = _random is null ? argmax : Sample(logits, max);
        return (token, (float)(logits[token] - logSum));
    }

    private int Sample(ReadOnlySpan<float> logits, float max)
    {
        if (_order.Length != logits.Length)
        {
            _order = new int[logits.Length];
            _probabilities = new double[logits.Length];
        }

        var total = 0d;
        for (var i = 0; i < logits.Length; i++)
        {
            _probabilities[i] = Math.Exp((logits[i] - max) / _temperature);
            total += _probabilities[i];
            _order[i] = i;
        }

        var count = logits.Length;
        if (_topP < 1)
        {
            // Highest probability first, lower id first among equals, so the nucleus is deterministic.
            var probabilities = _probabilities;
            Array.Sort(_order, (a, b) => probabilities[b].CompareTo(probabilities[a]) is var c && c != 0 ? c : a.CompareTo(b));
            var cumulative = 0d;
            for (count = 0; count < logits.Length;)
            {
                cumulative += _probabilities[_order[count++]] / total;
                if (cumulative >= _topP)
                {
                    break;
                }
            }

            total = 0;
            for (var i = 0; i < count; i++)
            {
                total += _probabilities[_order[i]];
            }
        }

        var target = _random!.NextDouble() * total;
        for (var i = 0; i < count; i++)
        {
            target -= _probabilities[_order[i]];
            if (target < 0)
            {
                return _order[i];
            }
        }

        return _order[count - 1];
    }
}

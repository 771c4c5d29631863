namespace HybridAI.Cli.Training;

/// <summary>
/// Limited-memory BFGS with a backtracking (Armijo) line search: deterministic, no learning rate to tune, and
/// fast on the smooth convex losses of logistic heads.
/// </summary>
public static class Lbfgs
{
    /// <summary>The objective: fills <c>gradient</c> at <c>x</c> and returns the loss.</summary>
    public delegate double Objective(ReadOnlySpan<double> x, Span<double> gradient);

    public static double[] Minimize(Objective objective, double[] x0, int maxIterations, double tolerance = 1e-6,
        int memory = 10, Action<int, double>? progress = null, CancellationToken cancellationToken = default)
    {
        var n = x0.Length;
        var x = (double[])x0.Clone();
        var g = new double[n];
        var loss = objective(x, g);
        var s = new List<double[]>();
        var y = new List<double[]>();
        var rho = new List<double>();
        var direction = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var alpha = new double[memory];

        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Two-loop recursion: direction = -H * g.
            Array.Copy(g, direction, n);
            for (var i = s.Count - 1; i >= 0; i--)
            {
                alpha[i] = rho[i] * Dot(s[i], direction);
                Axpy(-alpha[i], y[i], direction);
            }

            if (s.Count > 0)
            {
                var last = s.Count - 1;
                Scale(direction, Dot(s[last], y[last]) / Dot(y[last], y[last]));
            }

            for (var i = 0; i < s.Count; i++)
            {
                var beta = rho[i] * Dot(y[i], direction);
                Axpy(alpha[i] - beta, s[i], direction);
            }

            Scale(direction, -1);
            var slope = Dot(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                s.Clear();
                y.Clear();
                rho.Clear();
                Array.Copy(g, direction, n);
                Scale(direction, -1);
                slope = Dot(g, direction);
            }

            var step = s.Count == 0 ? 1.0 / Math.Max(1.0, Math.Sqrt(Dot(g, g))) : 1.0;
            double newLoss;
            var tries = 0;
            while (true)
            {
                for (var i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + (step * direction[i]);
                }

                newLoss = objective(xNew, gNew);
                if (newLoss <= loss + (1e-4 * step * slope) || ++tries > 30)
                {
                    break;
                }

                step *= 0.5;
            }

            var sk = new double[n];
            var yk = new double[n];
            for (var i = 0; i < n; i++)
            {
                sk[i] = xNew[i] - x[i];
                yk[i] = gNew[i] - g[i];
            }

            var sy = Dot(sk, yk);
            if (sy > 1e-12)
            {
                if (s.Count == memory)
                {
                    s.RemoveAt(0);
                    y.RemoveAt(0);
                    rho.RemoveAt(0);
                }

                s.Add(sk);
                y.Add(yk);
                rho.Add(1 / sy);
            }

            var improvement = loss - newLoss;
            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            loss = newLoss;
            progress?.Invoke(iteration, loss);
            if (Math.Abs(improvement) < tolerance * Math.Max(1, Math.Abs(loss)) || Math.Sqrt(Dot(g, g)) < tolerance)
            {
                break;
            }
        }

        return x;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        for (var i = 0; i < y.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static void Scale(Span<double> x, double a) =>
        System.Numerics.Tensors.TensorPrimitives.Multiply(x, a, x);
}

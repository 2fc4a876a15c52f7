using Explainer.Core.Ranking.Collaborative;
using System.Numerics.Tensors;
using Explainer.Core.Ranking;

namespace Explainer.Evaluation.Baselines;

/// <summary>
/// Matrix factorisation for implicit feedback by alternating least squares (Hu, Koren &amp; Volinsky 2008). Every
/// observed user–item pair has preference 1 and confidence 1 + α, every other pair preference 0 and confidence 1; each
/// step solves (YᵀY + α·Σ_{i∈I_u} y_i y_iᵀ + λI)·x_u = (1 + α)·Σ_{i∈I_u} y_i, users then items: by a few conjugate
/// gradient steps warm-started from the previous factors (Takács et al. 2011, as the <c>implicit</c> library does;
/// O(f² + |I_u|·f) per row), or exactly by Cholesky when <paramref name="cgSteps"/> is 0 (O(f³ + |I_u|·f²) per row).
/// Factors start from N(0, 0.01²) with the given seed. (ML.NET's one-class matrix factorisation is not available from
/// this machine's package feed, hence this implementation.)
/// </summary>
public sealed class ImplicitAlsModel(int factors, double regularization, double alpha, int iterations, int seed, int cgSteps = ImplicitAlsModel.DefaultCgSteps) : IRecommenderModel
{
    public const int DefaultCgSteps = 3;

    private BinaryMatrix? _matrix;
    private float[] _users = [];
    private float[] _items = [];

    public string Name => "Implicit ALS";

    public Task FitAsync(InteractionData train, CancellationToken cancellationToken)
    {
        var m = new BinaryMatrix(train);
        var f = factors;
        var random = new Random(seed);
        var users = new float[m.Users * f];
        var items = new float[m.Items * f];
        for (var x = 0; x < items.Length; x++)
        {
            items[x] = Gaussian(random) * 0.01f;
        }

        for (var x = 0; x < users.Length; x++)
        {
            users[x] = Gaussian(random) * 0.01f;
        }

        for (var it = 0; it < iterations; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Solve(users, items, m.ItemsOfUser, cancellationToken);
            Solve(items, users, m.UsersOfItem, cancellationToken);
        }

        _users = users;
        _items = items;
        _matrix = m;
        return Task.CompletedTask;
    }

    public void Score(int user, Span<float> scores)
    {
        var m = _matrix ?? throw new InvalidOperationException("Fit the model before scoring.");
        if (user >= m.Users)
        {
            scores.Clear();
            return;
        }

        var f = factors;
        var x = _users.AsSpan(user * f, f);
        for (var j = 0; j < m.Items; j++)
        {
            scores[j] = TensorPrimitives.Dot(x, _items.AsSpan(j * f, f));
        }
    }

    /// <summary>Recomputes every row of <paramref name="target"/> given the fixed <paramref name="other"/> factors.</summary>
    private void Solve(float[] target, float[] other, int[][] observed, CancellationToken cancellationToken)
    {
        var f = factors;
        var gram = Gram(other, f);
        for (var d = 0; d < f; d++)
        {
            gram[(d * f) + d] += regularization;
        }

        if (cgSteps > 0)
        {
            SolveConjugateGradient(target, other, observed, gram, cancellationToken);
            return;
        }

        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, observed.Length, options, () => (A: new double[f * f], B: new double[f], Y: new double[f]), (e, _, buffers) =>
        {
            var row = target.AsSpan(e * f, f);
            var list = observed[e];
            if (list.Length == 0)
            {
                row.Clear();
                return buffers;
            }

            var (a, b, y) = buffers;
            gram.CopyTo(a, 0);
            Array.Clear(b);

            foreach (var i in list)
            {
                var source = other.AsSpan(i * f, f);
                for (var d = 0; d < f; d++)
                {
                    y[d] = source[d];
                }

                for (var r = 0; r < f; r++)
                {
                    var ar = a.AsSpan(r * f, f);
                    TensorPrimitives.MultiplyAdd(y, alpha * y[r], ar, ar);
                }

                TensorPrimitives.Add(b, y, b);
            }

            TensorPrimitives.Multiply(b, 1 + alpha, b);
            DenseLinearAlgebra.CholeskySolveInPlace(a, b, f);
            for (var d = 0; d < f; d++)
            {
                row[d] = (float)b[d];
            }

            return buffers;
        }, _ => { });
    }

    /// <summary>
    /// <paramref name="cgSteps"/> conjugate gradient steps per row on A·x = b with A = YᵀY + λI + α·Σ y_i y_iᵀ and
    /// b = (1 + α)·Σ y_i, never forming A: A·p = (YᵀY + λI)·p + α·Σ (y_i·p)·y_i.
    /// </summary>
    private void SolveConjugateGradient(float[] target, float[] other, int[][] observed, double[] gram, CancellationToken cancellationToken)
    {
        var f = factors;
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, observed.Length, options, () => new double[4 * f], (e, _, buffer) =>
        {
            var row = target.AsSpan(e * f, f);
            var list = observed[e];
            if (list.Length == 0)
            {
                row.Clear();
                return buffer;
            }

            var x = buffer.AsSpan(0, f);
            var r = buffer.AsSpan(f, f);
            var p = buffer.AsSpan(2 * f, f);
            var ap = buffer.AsSpan(3 * f, f);
            for (var d = 0; d < f; d++)
            {
                x[d] = row[d];
            }

            // r = b − A·x
            Multiply(gram, x, r, f);
            TensorPrimitives.Negate(r, r);
            foreach (var i in list)
            {
                var y = other.AsSpan(i * f, f);
                var yx = Dot(y, x);
                AddScaled(y, (1 + alpha) - (alpha * yx), r);
            }

            r.CopyTo(p);
            var rsOld = TensorPrimitives.Dot<double>(r, r);
            for (var step = 0; step < cgSteps && rsOld > 1e-20; step++)
            {
                Multiply(gram, p, ap, f);
                foreach (var i in list)
                {
                    var y = other.AsSpan(i * f, f);
                    AddScaled(y, alpha * Dot(y, p), ap);
                }

                var a = rsOld / TensorPrimitives.Dot<double>(p, ap);
                TensorPrimitives.MultiplyAdd(p, a, x, x);
                TensorPrimitives.MultiplyAdd(ap, -a, r, r);
                var rsNew = TensorPrimitives.Dot<double>(r, r);
                TensorPrimitives.MultiplyAdd(p, rsNew / rsOld, r, p);
                rsOld = rsNew;
            }

            for (var d = 0; d < f; d++)
            {
                row[d] = (float)x[d];
            }

            return buffer;
        }, _ => { });
    }

    private static void Multiply(double[] matrix, ReadOnlySpan<double> v, Span<double> result, int f)
    {
        for (var d = 0; d < f; d++)
        {
            result[d] = TensorPrimitives.Dot<double>(matrix.AsSpan(d * f, f), v);
        }
    }

    private static double Dot(ReadOnlySpan<float> y, ReadOnlySpan<double> v)
    {
        double sum = 0;
        for (var d = 0; d < y.Length; d++)
        {
            sum += y[d] * v[d];
        }

        return sum;
    }

    private static void AddScaled(ReadOnlySpan<float> y, double scale, Span<double> into)
    {
        for (var d = 0; d < y.Length; d++)
        {
            into[d] += scale * y[d];
        }
    }

    /// <summary>YᵀY (f×f, double) of the row-major factor matrix.</summary>
    private static double[] Gram(float[] factorsMatrix, int f)
    {
        var rows = factorsMatrix.Length / f;
        var gram = new double[f * f];
        var y = new double[f];
        for (var e = 0; e < rows; e++)
        {
            var source = factorsMatrix.AsSpan(e * f, f);
            for (var d = 0; d < f; d++)
            {
                y[d] = source[d];
            }

            for (var r = 0; r < f; r++)
            {
                if (y[r] != 0)
                {
                    var gr = gram.AsSpan(r * f, f);
                    TensorPrimitives.MultiplyAdd(y, y[r], gr, gr);
                }
            }
        }

        return gram;
    }

    private static float Gaussian(Random random)
    {
        // Box–Muller; 1 − u keeps the logarithm finite.
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
    }
}

using System.Numerics.Tensors;

namespace Explainer.Evaluation.Baselines;

/// <summary>The little dense linear algebra the baselines need: an in-place inverse of a symmetric positive definite matrix and a Cholesky solve.</summary>
internal static class DenseLinearAlgebra
{
    /// <summary>
    /// Inverts the symmetric positive definite n×n row-major matrix <paramref name="a"/> in place by Gauss–Jordan
    /// elimination without pivoting (safe for SPD matrices: every pivot is positive). n³ flops; the row updates of each
    /// step run in parallel and use <see cref="TensorPrimitives"/>.
    /// </summary>
    public static void InvertSpdInPlace(double[] a, int n, CancellationToken cancellationToken = default)
    {
        if (a.Length < (long)n * n)
        {
            throw new ArgumentException("The array is smaller than n×n.", nameof(a));
        }

        var chunks = Math.Max(1, Math.Min(n, Environment.ProcessorCount * 4));
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        for (var p = 0; p < n; p++)
        {
            var pivotRow = a.AsSpan(p * n, n);
            var pivot = pivotRow[p];
            if (!(pivot > 0))
            {
                throw new InvalidOperationException($"The matrix is not positive definite (pivot {p} is {pivot}).");
            }

            pivotRow[p] = 1;
            TensorPrimitives.Multiply(pivotRow, 1 / pivot, pivotRow);
            var step = p;
            Parallel.For(0, chunks, options, c =>
            {
                var source = a.AsSpan(step * n, n);
                var end = (int)((long)(c + 1) * n / chunks);
                for (var r = (int)((long)c * n / chunks); r < end; r++)
                {
                    if (r == step)
                    {
                        continue;
                    }

                    var row = a.AsSpan(r * n, n);
                    var f = row[step];
                    if (f == 0)
                    {
                        continue;
                    }

                    row[step] = 0;
                    TensorPrimitives.MultiplyAdd(source, -f, row, row);
                }
            });
        }
    }

    /// <summary>
    /// Solves A·x = b for a symmetric positive definite f×f matrix by Cholesky factorisation. <paramref name="a"/> is
    /// overwritten with the factor; <paramref name="b"/> with the solution.
    /// </summary>
    public static void CholeskySolveInPlace(Span<double> a, Span<double> b, int f)
    {
        for (var j = 0; j < f; j++)
        {
            var rowJ = a.Slice(j * f, f);
            var d = rowJ[j] - TensorPrimitives.Dot<double>(rowJ[..j], rowJ[..j]);
            if (!(d > 0))
            {
                throw new InvalidOperationException($"The matrix is not positive definite (pivot {j} is {d}).");
            }

            var l = Math.Sqrt(d);
            rowJ[j] = l;
            for (var i = j + 1; i < f; i++)
            {
                var rowI = a.Slice(i * f, f);
                rowI[j] = (rowI[j] - TensorPrimitives.Dot<double>(rowI[..j], rowJ[..j])) / l;
            }
        }

        // L·y = b
        for (var i = 0; i < f; i++)
        {
            var rowI = a.Slice(i * f, f);
            b[i] = (b[i] - TensorPrimitives.Dot<double>(rowI[..i], b[..i])) / rowI[i];
        }

        // Lᵀ·x = y
        for (var i = f - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < f; k++)
            {
                sum -= a[(k * f) + i] * b[k];
            }

            b[i] = sum / a[(i * f) + i];
        }
    }
}

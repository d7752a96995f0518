using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Transforms;

namespace Engagement.Analytics.Model;

/// <summary>A candidate learner: a trainer, its settings and the inputs it reads.</summary>
/// <param name="Name">Unique name, e.g. <c>lr-compact-l1=0-l2=1</c>.</param>
/// <param name="FeatureSet"><see cref="FeatureSets.Full"/> or <see cref="FeatureSets.Compact"/>.</param>
/// <param name="Trainer"><c>lbfgs-lr</c>, <c>gam</c> or <c>fasttree</c>.</param>
/// <param name="L1">L1 penalty (logistic regression only).</param>
/// <param name="L2">L2 penalty (logistic regression only).</param>
public sealed record CandidateSpec(string Name, string FeatureSet, string Trainer, double L1 = 0, double L2 = 0)
{
    /// <summary>ML.NET's L-BFGS logistic regression on mean/variance-normalised inputs.</summary>
    public const string LogisticRegression = "lbfgs-lr";

    /// <summary>ML.NET's binary generalised additive model (boosted one-feature stumps).</summary>
    public const string Gam = "gam";

    /// <summary>ML.NET's FastTree gradient-boosted trees, conservative settings.</summary>
    public const string FastTree = "fasttree";

    /// <summary>An L-BFGS logistic regression candidate.</summary>
    public static CandidateSpec Lr(string set, double l1, double l2) =>
        new(FormattableString.Invariant($"lr-{set}-l1={l1}-l2={l2}"), set, LogisticRegression, l1, l2);
}

/// <summary>
/// The ML.NET side of a trained model: fits a candidate, saves and loads the model file, and reads the fitted
/// parameters back so that every score is explained exactly. Scores are computed in double from those parameters
/// (the same arithmetic ML.NET does in single precision; a test holds the two within 1e-4), so that
/// <c>bias + Σ contributions = raw score</c> holds to rounding:
/// <list type="bullet">
/// <item>logistic regression: contribution = weight × normalised value (ML.NET's feature contribution for linear models);</item>
/// <item>GAM: contribution = the feature's shape function at its value (ML.NET's feature contribution for GAMs);</item>
/// <item>FastTree: path attribution (Saabas): along each tree's path, the change of the node value (the unweighted mean
/// of the leaves below, as ML.NET does not keep leaf counts) is credited to the split feature; it telescopes to
/// leaf − root value, so the sum is exact. ML.NET's own tree contributions do not add up to the score.</item>
/// </list>
/// </summary>
internal sealed class MlNetEngine
{
    private readonly string _kind;
    private readonly double _bias;
    private readonly double[] _offset = [];
    private readonly double[] _scale = [];
    private readonly double[] _weights = [];
    private readonly double[][] _binUpper = [];
    private readonly double[][] _binEffect = [];
    private readonly List<Tree> _trees = [];

    private MlNetEngine(string kind, ITransformer transformer, int inputs, byte[] file)
    {
        _kind = kind;
        Transformer = transformer;
        Inputs = inputs;
        File = file;
        NormalizingTransformer? normalizer = null;
        object? parameters = null;
        foreach (var part in transformer is IEnumerable<ITransformer> chain ? chain : [transformer])
        {
            if (part is NormalizingTransformer n)
            {
                normalizer = n;
            }
            else if (part is ISingleFeaturePredictionTransformer<object> p)
            {
                parameters = p.Model;
            }
        }

        switch (parameters)
        {
            case CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> linear:
            {
                var affine = normalizer?.GetNormalizerModelParameters(0) as NormalizingTransformer.AffineNormalizerModelParameters<System.Collections.Immutable.ImmutableArray<float>>
                    ?? throw new InvalidDataException("The logistic regression model file has no mean/variance normaliser.");
                _offset = [.. Enumerable.Range(0, inputs).Select(i => affine.Offset.IsDefaultOrEmpty ? 0.0 : affine.Offset[i])];
                _scale = [.. Enumerable.Range(0, inputs).Select(i => (double)affine.Scale[i])];
                _weights = [.. linear.SubModel.Weights.Select(w => (double)w)];
                _bias = linear.SubModel.Bias;
                break;
            }

            case CalibratedModelParametersBase<GamBinaryModelParameters, PlattCalibrator> gam:
            {
                // The GAM drops inputs it could not bin (e.g. constant ones), and its public GetBinUpperBounds and
                // GetBinEffects refuse input indices beyond the number of shape functions (ML.NET 5.0.1); so the
                // shape functions and which input each reads are taken from its fields, and a test holds these scores
                // to ML.NET's own.
                _bias = gam.SubModel.Bias;
                _binUpper = [.. Enumerable.Range(0, inputs).Select(_ => Array.Empty<double>())];
                _binEffect = [.. Enumerable.Range(0, inputs).Select(_ => Array.Empty<double>())];
                var upper = GamField<double[][]>(gam.SubModel, "_binUpperBounds");
                var effects = GamField<double[][]>(gam.SubModel, "_binEffects");
                var map = GamField<int[]>(gam.SubModel, "_shapeToInputMap");
                for (var j = 0; j < gam.SubModel.NumberOfShapeFunctions; j++)
                {
                    _binUpper[map[j]] = [.. upper[j]];
                    _binEffect[map[j]] = [.. effects[j]];
                }

                break;
            }

            case CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> forest:
                var ensemble = forest.SubModel.TrainedTreeEnsemble;
                _bias = ensemble.Bias;
                for (var t = 0; t < ensemble.Trees.Count; t++)
                {
                    _trees.Add(new Tree(ensemble.Trees[t], ensemble.TreeWeights[t]));
                }

                break;
            default:
                throw new InvalidDataException($"The model file holds an unsupported predictor ({parameters?.GetType().Name ?? "none"}).");
        }
    }

    /// <summary>The ML.NET model.</summary>
    public ITransformer Transformer { get; }

    /// <summary>Number of inputs.</summary>
    public int Inputs { get; }

    /// <summary>The model file (zip) bytes.</summary>
    public byte[] File { get; }

    /// <summary>The raw score's constant part (what the contributions are added to).</summary>
    public double Bias => _bias + _trees.Sum(t => t.Weight * t.RootValue);

    /// <summary>Fits a candidate on input vectors and outcomes, seeded.</summary>
    public static MlNetEngine Fit(CandidateSpec spec, IReadOnlyList<double[]> inputs, IReadOnlyList<bool> outcomes, int seed)
    {
        var ml = new MLContext(seed);
        var width = inputs[0].Length;
        var data = Load(ml, inputs, outcomes, width);
        IEstimator<ITransformer> estimator = spec.Trainer switch
        {
            CandidateSpec.LogisticRegression => ml.Transforms.NormalizeMeanVariance("Features", fixZero: false)
                .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
                {
                    L1Regularization = (float)spec.L1,
                    L2Regularization = (float)spec.L2,
                    OptimizationTolerance = 1e-7f,
                    NumberOfThreads = 1,
                })),
            CandidateSpec.Gam => ml.BinaryClassification.Trainers.Gam(new GamBinaryTrainer.Options
            {
                NumberOfIterations = 300,
                LearningRate = 0.02,
                MaximumBinCountPerFeature = 64,
                MinimumExampleCountPerLeaf = 50,
                NumberOfThreads = 1,
                Seed = seed,
            }),
            CandidateSpec.FastTree => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = 100,
                NumberOfLeaves = 8,
                MinimumExampleCountPerLeaf = 50,
                LearningRate = 0.05,
                NumberOfThreads = 1,
                Seed = seed,
                FeatureSelectionSeed = seed,
            }),
            _ => throw new ArgumentException($"Unknown trainer '{spec.Trainer}'.", nameof(spec)),
        };
        var transformer = estimator.Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, stream);
        return new MlNetEngine(spec.Trainer, transformer, width, stream.ToArray());
    }

    /// <summary>Reads a model file written by <see cref="Fit"/>.</summary>
    public static MlNetEngine Load(string trainer, byte[] file, int inputs)
    {
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterAssembly(typeof(FastTreeBinaryTrainer).Assembly);
        using var stream = new MemoryStream(file, writable: false);
        return new MlNetEngine(trainer, ml.Model.Load(stream, out _), inputs, file);
    }

    /// <summary>The raw score (log-odds scale for logistic regression), and each input's contribution to it.</summary>
    public double Raw(IReadOnlyList<double> x, double[]? contributions = null)
    {
        if (x.Count != Inputs)
        {
            throw new ArgumentException($"The model reads {Inputs} inputs, not {x.Count}.", nameof(x));
        }

        var raw = Bias;
        switch (_kind)
        {
            case CandidateSpec.LogisticRegression:
                for (var i = 0; i < Inputs; i++)
                {
                    var c = _weights[i] * ((Single(x[i]) - _offset[i]) * _scale[i]);
                    raw += c;
                    contributions?[i] += c;
                }

                break;
            case CandidateSpec.Gam:
                for (var i = 0; i < Inputs; i++)
                {
                    var upper = _binUpper[i];
                    if (upper.Length == 0)
                    {
                        continue;
                    }

                    var value = Single(x[i]);
                    var bin = Array.FindIndex(upper, u => value <= u);
                    var c = _binEffect[i][bin < 0 ? upper.Length - 1 : bin];
                    raw += c;
                    contributions?[i] += c;
                }

                break;
            default:
                foreach (var tree in _trees)
                {
                    raw += tree.Walk(x, contributions);
                }

                break;
        }

        return raw;
    }

    /// <summary>ML.NET's own score of one input vector (single precision), to check <see cref="Raw"/> against.</summary>
    public double MlNetScore(IReadOnlyList<double> x)
    {
        var ml = new MLContext(0);
        var data = Load(ml, [[.. x]], [false], Inputs);
        return Transformer.Transform(data).GetColumn<float>("Score").Single();
    }

    private static double Single(double value) => (float)value;

    private static T GamField<T>(GamModelParametersBase gam, string name)
        where T : class =>
        typeof(GamModelParametersBase).GetField(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)?.GetValue(gam) as T
        ?? throw new InvalidDataException($"This version of ML.NET keeps no {name} in a GAM; the model cannot be explained.");

    private static IDataView Load(MLContext ml, IReadOnlyList<double[]> inputs, IReadOnlyList<bool> outcomes, int width)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(inputs.Select((x, i) => new Row { Features = [.. x.Select(v => (float)v)], Label = outcomes[i] }).ToList(), schema);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    /// <summary>One tree of the ensemble, with each node's value (mean of the leaves below it) for path attribution.</summary>
    private sealed class Tree
    {
        private readonly int[] _left;
        private readonly int[] _right;
        private readonly int[] _feature;
        private readonly double[] _threshold;
        private readonly double[] _leaf;
        private readonly double[] _nodeValue;

        public Tree(RegressionTree tree, double weight)
        {
            Weight = weight;
            _left = [.. tree.LeftChild];
            _right = [.. tree.RightChild];
            _feature = [.. tree.NumericalSplitFeatureIndexes];
            _threshold = [.. tree.NumericalSplitThresholds.Select(t => (double)t)];
            _leaf = [.. tree.LeafValues];
            _nodeValue = new double[_left.Length];
            if (_left.Length == 0)
            {
                RootValue = _leaf[0];
            }
            else
            {
                var (sum, count) = Mean(0);
                RootValue = sum / count;
            }
        }

        public double Weight { get; }

        public double RootValue { get; }

        /// <summary>The tree's output less its root value, credited along the path.</summary>
        public double Walk(IReadOnlyList<double> x, double[]? contributions)
        {
            if (_left.Length == 0)
            {
                return 0;
            }

            var node = 0;
            var value = _nodeValue[0];
            while (true)
            {
                var next = Single(x[_feature[node]]) <= _threshold[node] ? _left[node] : _right[node];
                var nextValue = next < 0 ? _leaf[~next] : _nodeValue[next];
                contributions?[_feature[node]] += Weight * (nextValue - value);
                if (next < 0)
                {
                    return Weight * (nextValue - _nodeValue[0]);
                }

                node = next;
                value = nextValue;
            }
        }

        private (double Sum, int Count) Mean(int node)
        {
            var (ls, lc) = _left[node] < 0 ? (_leaf[~_left[node]], 1) : Mean(_left[node]);
            var (rs, rc) = _right[node] < 0 ? (_leaf[~_right[node]], 1) : Mean(_right[node]);
            _nodeValue[node] = (ls + rs) / (lc + rc);
            return (ls + rs, lc + rc);
        }
    }
}

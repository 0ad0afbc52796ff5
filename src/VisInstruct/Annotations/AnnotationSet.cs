using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using VisInstruct.Formats;
using VisInstruct.Json;

namespace VisInstruct.Annotations;

/// <summary>
/// The annotations of a set of images, opened from the annotation files: an index pass over each big per-image file
/// (where each image's record is), after which <see cref="Load"/> reads one image's records alone. Memory stays small
/// whatever the file sizes: the index, the image list, and only the COCO captions and boxes of the selected images.
/// </summary>
public sealed class AnnotationSet : IDisposable
{
    private readonly Dictionary<long, ImageEntry> _images;
    private readonly RecordIndex? _objects;
    private readonly RecordIndex? _regions;
    private readonly RecordIndex? _attributes;
    private readonly bool _objectsFromAttributes;
    private readonly Dictionary<long, List<string>> _captions;
    private readonly Dictionary<long, List<AnnotatedObject>>? _cocoObjects;
    private readonly AnnotationSetInfo _info;
    private long _objectsWithoutName;
    private bool _disposed;

    private AnnotationSet(Dictionary<long, ImageEntry> images, RecordIndex? objects, RecordIndex? regions, RecordIndex? attributes,
        bool objectsFromAttributes, Dictionary<long, List<string>> captions, Dictionary<long, List<AnnotatedObject>>? cocoObjects,
        AnnotationSetInfo info)
    {
        _images = images;
        _objects = objects;
        _regions = regions;
        _attributes = attributes;
        _objectsFromAttributes = objectsFromAttributes;
        _captions = captions;
        _cocoObjects = cocoObjects;
        _info = info;
        var ids = images.Keys.ToArray();
        Array.Sort(ids);
        ImageIds = ids;
    }

    /// <summary>The selected images' ids, ascending.</summary>
    public IReadOnlyList<long> ImageIds { get; }

    /// <summary>What was read, for a dataset card; <see cref="AnnotationSetInfo.ObjectsWithoutName"/> counts the loads so far.</summary>
    public AnnotationSetInfo Info => _info with { ObjectsWithoutName = Interlocked.Read(ref _objectsWithoutName) };

    /// <summary>
    /// The SVIT inputs: Visual Genome's image_data (required), objects and region descriptions, attributes (optional:
    /// their per-object lists fill <see cref="AnnotatedObject.Attributes"/>, joined by object id), and the COCO
    /// captions of the images that have a <c>coco_id</c>.
    /// </summary>
    public static AnnotationSet OpenVisualGenome(AnnotationFiles files, ImageFilter? filter = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var clock = Stopwatch.StartNew();
        string imageData = AnnotationFiles.Require(files.VgImageData, "annotations.vg_image_data");
        string? objectsPath = AnnotationFiles.Optional(files.VgObjects, "annotations.vg_objects");
        string? regionsPath = AnnotationFiles.Optional(files.VgRegions, "annotations.vg_regions");
        string? attributesPath = AnnotationFiles.Optional(files.VgAttributes, "annotations.vg_attributes");
        var captionFiles = AnnotationFiles.OptionalList(files.CocoCaptions, "annotations.coco_captions");

        var images = new Dictionary<long, ImageEntry>();
        long listed = 0;
        using (var reader = JsonRecordReader.OpenArray(imageData))
        {
            var seen = new HashSet<long>();
            while (reader.TryRead(out var raw))
            {
                var image = JsonRecords.Deserialize(imageData, raw, FormatsJsonContext.Default.VgImage, CheckImage);
                listed++;
                if (!seen.Add(image.Key))
                {
                    throw new RecordContext(imageData, raw).Error(image.ImageId is null ? "id" : "image_id",
                        string.Create(CultureInfo.InvariantCulture, $"duplicate image id {image.Key}: an earlier record has the same id"));
                }

                if (filter is null || filter.Includes(image.Key))
                {
                    images.Add(image.Key, new ImageEntry(image.Width, image.Height,
                        image.LlavaPath ?? string.Create(CultureInfo.InvariantCulture, $"vg/VG_100K/{image.Key}.jpg"), image.CocoId));
                }
            }
        }

        var cocoIds = new HashSet<long>(images.Values.Where(i => i.CocoId is not null).Select(i => i.CocoId!.Value));
        RecordIndex? objects = null, regions = null, attributes = null;
        var captionResults = new CocoFiles.CaptionsResult[captionFiles.Count];
        var jobs = new List<Action>();
        if (objectsPath is not null)
        {
            jobs.Add(() => objects = RecordIndex.Build("annotations.vg_objects", objectsPath, images.ContainsKey, cancellationToken));
        }

        if (regionsPath is not null)
        {
            jobs.Add(() => regions = RecordIndex.Build("annotations.vg_regions", regionsPath, images.ContainsKey, cancellationToken));
        }

        if (attributesPath is not null)
        {
            jobs.Add(() =>
                attributes = RecordIndex.Build("annotations.vg_attributes", attributesPath, images.ContainsKey, cancellationToken));
        }

        for (int i = 0; i < captionFiles.Count; i++)
        {
            int n = i;
            jobs.Add(() =>
                captionResults[n] = CocoFiles.ReadCaptions(captionFiles[n], withImages: false, cocoIds.Contains, cancellationToken));
        }

        try
        {
            RunAll(jobs);
        }
        catch
        {
            objects?.Dispose();
            regions?.Dispose();
            attributes?.Dispose();
            throw;
        }

        var captions = MergeCaptions(captionResults);
        var fileInfos = new List<AnnotationFileInfo> { new("annotations.vg_image_data", imageData, FileLength(imageData), listed) };
        foreach (var index in new[] { objects, regions, attributes })
        {
            if (index is not null)
            {
                fileInfos.Add(new AnnotationFileInfo(index.Key, index.File, index.Bytes, index.Records));
            }
        }

        for (int i = 0; i < captionFiles.Count; i++)
        {
            fileInfos.Add(new AnnotationFileInfo("annotations.coco_captions", captionFiles[i], captionResults[i].Bytes,
                captionResults[i].Annotations));
        }

        var objectSource = objects ?? attributes;
        var info = new AnnotationSetInfo
        {
            Source = "visual_genome",
            Files = fileInfos,
            ImagesListed = listed,
            ImageCount = images.Count,
            ImagesFilteredOut = (int)(listed - images.Count),
            ImagesWithoutObjects = objectSource is null ? images.Count : images.Count - objectSource.Indexed,
            ImagesWithoutRegions = regions is null ? images.Count : images.Count - regions.Indexed,
            ImagesWithCaptions = images.Values.Count(i => i.CocoId is { } c && captions.ContainsKey(c)),
            Captions = images.Values.Sum(i => i.CocoId is { } c && captions.TryGetValue(c, out var list) ? list.Count : 0),
            RecordsSkipped = (objects?.Skipped ?? 0) + (regions?.Skipped ?? 0) + (attributes?.Skipped ?? 0),
            IndexTime = clock.Elapsed,
        };
        return new AnnotationSet(images, objectSource, regions, objects is null ? null : attributes, objects is null
            && attributes is not null,
            captions, null, info);
    }

    /// <summary>
    /// The LLaVA-Instruct inputs: the images of the COCO captions file(s) with their captions, and the boxes of the
    /// COCO instances file(s) (category names, annotation file order). No regions, no attributes.
    /// </summary>
    public static AnnotationSet OpenCoco(AnnotationFiles files, ImageFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var clock = Stopwatch.StartNew();
        var captionFiles = AnnotationFiles.OptionalList(files.CocoCaptions, "annotations.coco_captions");
        if (captionFiles.Count == 0)
        {
            throw new InputFormatException("annotations.coco_captions",
                "annotations.coco_captions: not set (the COCO recipe takes its images from the captions files)");
        }

        var instanceFiles = AnnotationFiles.OptionalList(files.CocoInstances, "annotations.coco_instances");
        Func<long, bool> wanted = filter is null ? _ => true : filter.Includes;
        var captionResults = new CocoFiles.CaptionsResult[captionFiles.Count];
        var instanceResults = new CocoFiles.InstancesResult[instanceFiles.Count];
        var jobs = new List<Action>();
        for (int i = 0; i < captionFiles.Count; i++)
        {
            int n = i;
            jobs.Add(() => captionResults[n] = CocoFiles.ReadCaptions(captionFiles[n], withImages: true, wanted, cancellationToken));
        }

        for (int i = 0; i < instanceFiles.Count; i++)
        {
            int n = i;
            jobs.Add(() => instanceResults[n] = CocoFiles.ReadInstances(instanceFiles[n], wanted, cancellationToken));
        }

        RunAll(jobs);

        var images = new Dictionary<long, ImageEntry>();
        long listed = 0;
        for (int i = 0; i < captionFiles.Count; i++)
        {
            string folder = CocoFiles.ImageFolder(captionFiles[i]);
            var seen = new HashSet<long>();
            foreach (var image in captionResults[i].Images)
            {
                listed++;
                if (!seen.Add(image.Id) || images.ContainsKey(image.Id))
                {
                    throw new InputFormatException(captionFiles[i],
                        string.Create(CultureInfo.InvariantCulture,
                            $"duplicate image id {image.Id} in \"images\" (of this or an earlier captions file)"), field: "images");
                }

                if (wanted(image.Id))
                {
                    images.Add(image.Id, new ImageEntry(image.Width, image.Height, folder + "/" + image.FileName, image.Id));
                }
            }
        }

        var captions = MergeCaptions(captionResults);
        var objects = new Dictionary<long, List<AnnotatedObject>>();
        foreach (var result in instanceResults)
        {
            foreach (var (imageId, list) in result.Objects)
            {
                if (!images.ContainsKey(imageId))
                {
                    continue;
                }

                if (objects.TryGetValue(imageId, out var existing))
                {
                    existing.AddRange(list);
                }
                else
                {
                    objects.Add(imageId, list);
                }
            }
        }

        var fileInfos = new List<AnnotationFileInfo>();
        for (int i = 0; i < captionFiles.Count; i++)
        {
            fileInfos.Add(new AnnotationFileInfo("annotations.coco_captions", captionFiles[i], captionResults[i].Bytes,
                captionResults[i].Annotations));
        }

        for (int i = 0; i < instanceFiles.Count; i++)
        {
            fileInfos.Add(new AnnotationFileInfo("annotations.coco_instances", instanceFiles[i], instanceResults[i].Bytes,
                instanceResults[i].Annotations));
        }

        var info = new AnnotationSetInfo
        {
            Source = "coco",
            Files = fileInfos,
            ImagesListed = listed,
            ImageCount = images.Count,
            ImagesFilteredOut = (int)(listed - images.Count),
            ImagesWithoutObjects = images.Keys.Count(id => !objects.ContainsKey(id)),
            ImagesWithoutRegions = images.Count,
            ImagesWithCaptions = images.Keys.Count(captions.ContainsKey),
            Captions = images.Keys.Sum(id => captions.TryGetValue(id, out var list) ? list.Count : 0),
            RecordsSkipped = 0,
            IndexTime = clock.Elapsed,
        };
        return new AnnotationSet(images, null, null, null, false, captions, objects, info);
    }

    /// <summary>Everything about one image. Reads only that image's records; safe to call from several threads.</summary>
    public ImageAnnotations Load(long imageId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_images.TryGetValue(imageId, out var image))
        {
            throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture, $"image {imageId} is not in this annotation set"));
        }

        return new ImageAnnotations
        {
            ImageId = imageId,
            Width = image.Width,
            Height = image.Height,
            ImagePath = image.Path,
            CocoId = image.CocoId,
            Captions = image.CocoId is { } cocoId && _captions.TryGetValue(cocoId, out var c) ? c : [],
            // COCO: the boxes kept in memory; Visual Genome: this image's records read from the indexed files.
            Objects = _cocoObjects is null ? LoadObjects(imageId) : _cocoObjects.TryGetValue(imageId, out var o) ? o : [],
            Regions = _regions is not null && _regions.TryParse(imageId, ParseRegions, out var regions) ? regions : [],
        };
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _objects?.Dispose();
        _regions?.Dispose();
        _attributes?.Dispose();
    }

    private List<AnnotatedObject> LoadObjects(long imageId)
    {
        if (_objects is null)
        {
            return [];
        }

        string arrayKey = _objectsFromAttributes ? "attributes" : "objects";
        if (!_objects.TryParse(imageId, (in RawJsonRecord raw) =>
            VgRecords.ParseObjects(_objects.File, raw, arrayKey, _objectsFromAttributes), out var parsed))
        {
            return [];
        }

        Dictionary<long, string[]>? attributes = null;
        Dictionary<long, string>? synsets = null;
        if (_attributes is not null
            && _attributes.TryParse(imageId, (in RawJsonRecord raw) => VgRecords.ParseObjects(_attributes.File, raw, "attributes", true),
            out var withAttributes))
        {
            attributes = [];
            synsets = [];
            foreach (var o in withAttributes)
            {
                if (o.Synset is not null)
                {
                    synsets[o.Id] = o.Synset;
                }

                if (o.Attributes is { Length: > 0 })
                {
                    attributes[o.Id] = o.Attributes;
                }
            }
        }

        var result = new List<AnnotatedObject>(parsed.Count);
        int withoutName = 0;
        foreach (var o in parsed)
        {
            if (o.Name is null)
            {
                withoutName++;
                continue;
            }

            IReadOnlyList<string> list = o.Attributes ?? (attributes is not null && attributes.TryGetValue(o.Id, out var a) ? a : []);
            string? synset = o.Synset ?? (synsets is not null && synsets.TryGetValue(o.Id, out var s) ? s : null);
            result.Add(new AnnotatedObject(o.Id, o.Name, o.Box, list) { Synset = synset });
        }

        if (withoutName > 0)
        {
            Interlocked.Add(ref _objectsWithoutName, withoutName);
        }

        return result;
    }

    private List<AnnotatedRegion> ParseRegions(in RawJsonRecord raw) => VgRecords.ParseRegions(_regions!.File, raw);

    private static void CheckImage(VgImage image, in RecordContext context)
    {
        if (image.ImageId is null && image.Id is null)
        {
            throw context.Error("", "missing field \"image_id\" (or \"id\" in older releases)");
        }

        if (image.Width <= 0 || image.Height <= 0)
        {
            throw context.Error(image.Width <= 0 ? "width" : "height", "image sizes must be positive");
        }
    }

    private static Dictionary<long, List<string>> MergeCaptions(CocoFiles.CaptionsResult[] results)
    {
        if (results.Length == 1)
        {
            return results[0].Captions;
        }

        var merged = new Dictionary<long, List<string>>();
        foreach (var result in results)
        {
            foreach (var (id, list) in result.Captions)
            {
                if (merged.TryGetValue(id, out var existing))
                {
                    existing.AddRange(list);
                }
                else
                {
                    merged.Add(id, list);
                }
            }
        }

        return merged;
    }

    /// <summary>Runs the jobs on the thread pool; rethrows the failure of the first failing job (in list order).</summary>
    private static void RunAll(List<Action> jobs)
    {
        var tasks = jobs.Select(Task.Run).ToArray();
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException)
        {
            foreach (var task in tasks)
            {
                if (task.Exception is { } error)
                {
                    ExceptionDispatchInfo.Throw(error.InnerException ?? error);
                }

                if (task.IsCanceled)
                {
                    throw new OperationCanceledException();
                }
            }

            throw;
        }
    }

    private static long FileLength(string path) => new FileInfo(path).Length;

    private sealed record ImageEntry(int Width, int Height, string Path, long? CocoId);
}

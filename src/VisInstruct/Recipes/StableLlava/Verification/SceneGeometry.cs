using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>
/// The verifier's reading of a scene: which objects a phrase names, the place of an object by thirds of the picture
/// (from its box centre), the relation of two objects along the axis their centres are most apart on, and which
/// objects partly hide which (<see cref="SceneSpec.Occlusions"/>).
/// </summary>
internal static class SceneGeometry
{
    /// <summary>The place of an object: an index into <see cref="Words.PlaceNames"/>.</summary>
    public static int Place(SceneSpec scene, SceneObject item)
    {
        int column = Third(item.Box.CenterX, scene.Width);
        int row = Third(item.Box.CenterY, scene.Height);
        return (row * 3) + column;
    }

    /// <summary>True when an object is in a place: the same ninth, or for a side word its whole third.</summary>
    public static bool IsIn(SceneSpec scene, SceneObject item, int place, bool loose)
    {
        int actual = Place(scene, item);
        if (actual == place || !loose)
        {
            return actual == place;
        }

        return place switch
        {
            1 => actual / 3 == 0,
            7 => actual / 3 == 2,
            3 => actual % 3 == 0,
            5 => actual % 3 == 2,
            _ => false,
        };
    }

    /// <summary>The indices of the objects a phrase names, place and ordinal applied.</summary>
    public static List<int> Match(SceneSpec scene, NounPhrase phrase)
    {
        var found = new List<int>();
        for (int i = 0; i < scene.Objects.Count; i++)
        {
            var o = scene.Objects[i];
            if ((phrase.Shape is null || phrase.Shape == o.Shape) && (phrase.ColorValue is null || phrase.ColorValue.Name == o.Color.Name)
                && (phrase.Size is null || phrase.Size == (int)o.Size) && (phrase.Texture is null || phrase.Texture == (int)o.Texture)
                && (phrase.Material is null || phrase.Material == (int)o.Material))
            {
                found.Add(i);
            }
        }

        if (phrase.Place is int place)
        {
            var exact = found.Where(i => IsIn(scene, scene.Objects[i], place, loose: false)).ToList();
            found = exact.Count > 0 ? exact : [.. found.Where(i => IsIn(scene, scene.Objects[i], place, loose: true))];
        }

        if (phrase.Extreme is not null || phrase.Ordinal is not null)
        {
            int direction = phrase.Extreme ?? phrase.Direction ?? 0;
            var ordered = found.OrderBy(i => Key(scene.Objects[i], direction)).ToList();
            int pick = phrase.Extreme is not null && phrase.Ordinal is null ? 0 : (phrase.Ordinal ?? 1) - 1;
            if (ordered.Count > 1 && pick + 1 < ordered.Count && Key(scene.Objects[ordered[pick]], direction)
                == Key(scene.Objects[ordered[pick + 1]], direction))
            {
                return [.. ordered];
            }

            return pick < ordered.Count ? [ordered[pick]] : [];
        }

        return found;
    }

    /// <summary>How A stands to B: along the axis the centres are most apart on; null when they share a centre.</summary>
    public static Relation? Relate(SceneObject a, SceneObject b)
    {
        double dx = b.Box.CenterX - a.Box.CenterX, dy = b.Box.CenterY - a.Box.CenterY;
        if (dx == 0 && dy == 0)
        {
            return null;
        }

        return Math.Abs(dx) >= Math.Abs(dy) ? (dx > 0 ? Relation.LeftOf : Relation.RightOf) : (dy > 0 ? Relation.Above : Relation.Below);
    }

    /// <summary>True when the axes tie, so that either reading of the relation is right.</summary>
    public static bool AxesTie(SceneObject a, SceneObject b) =>
        Math.Abs(b.Box.CenterX - a.Box.CenterX) == Math.Abs(b.Box.CenterY - a.Box.CenterY);

    /// <summary>True when <paramref name="front"/> partly hides <paramref name="back"/>.</summary>
    public static bool Hides(SceneSpec scene, int front, int back) =>
        scene.Occlusions.Any(o => o.Front == front && o.Back == back);

    /// <summary>How many objects the scene has of each (colour, shape).</summary>
    public static Dictionary<(string Color, ShapeKind Shape), int> Tally(SceneSpec scene)
    {
        var tally = new Dictionary<(string, ShapeKind), int>();
        foreach (var o in scene.Objects)
        {
            tally[(o.Color.Name, o.Shape)] = tally.GetValueOrDefault((o.Color.Name, o.Shape)) + 1;
        }

        return tally;
    }

    private static int Third(double centre, int side) => centre * 3 < side ? 0 : centre * 3 < side * 2 ? 1 : 2;

    private static double Key(SceneObject o, int direction) => direction switch
    {
        0 => o.Box.CenterX,
        1 => -o.Box.CenterX,
        2 => o.Box.CenterY,
        _ => -o.Box.CenterY,
    };
}

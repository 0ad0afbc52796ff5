using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VisInstruct.Config;
using VisInstruct.Json;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The run's fingerprint: everything that shapes the samples (seed, catalog, models and their sampling values, image
/// parameters, lanes, check), so that a resumed run with other settings is refused instead of mixing samples.
/// </summary>
internal static class StableLlavaFingerprint
{
    public static string Of(RecipeRequest request, AbilityCatalog catalog, StableLlavaSetup setup, bool composite = false)
    {
        var config = request.Config;
        var settings = config.Stablellava ?? new StableLlavaConfig();
        bool check = setup.Checker is not null;
        bool seesImage = settings.DialogueSeesImage == true;
        var images = request.Backends.Images.Producer;
        var parameters = setup.ImageParameters;
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("seed", request.Seed.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("catalog", CatalogHash(catalog));
            WriteChat(writer, "llm", config.Llm);
            WriteChat(writer, "vision", check || seesImage ? config.Vision : null);
            writer.WriteString("images", images.Kind + " " + images.Model);
            writer.WriteString("image_parameters", setup.Scenes is { } scenes
                ? string.Create(CultureInfo.InvariantCulture, $"{scenes.Width}x{scenes.Height}")
                : string.Create(CultureInfo.InvariantCulture,
                    $"{parameters.Width}x{parameters.Height} {parameters.Steps} {parameters.Guidance} ")
                    + $"{parameters.Sampler} {parameters.NegativePrompt}");
            writer.WriteString("lanes", string.Create(CultureInfo.InvariantCulture, $"{setup.LaneSize}/{setup.BatchSize}"));
            writer.WriteString("check", check ? string.Create(CultureInfo.InvariantCulture, $"retries {setup.CheckRetries}") : "off");
            writer.WritePropertyName("dialogue_sees_image");
            writer.WriteBooleanValue(seesImage);
            if (composite)
            {
                // Only when set, so that the fingerprints of runs made before the option are unchanged.
                writer.WriteString("multi_image", "composite");
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteChat(PythonJsonWriter writer, string name, LlmConfig? llm)
    {
        writer.WritePropertyName(name);
        if (llm is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStringValue(string.Create(CultureInfo.InvariantCulture,
            $"{llm.Model} t={llm.Temperature} p={llm.TopP} max={llm.MaxTokens} structured={llm.StructuredOutput != false}"));
    }

    /// <summary>A hash of everything in the catalog that shapes samples (abilities, instructions, caption questions).</summary>
    private static string CatalogHash(AbilityCatalog catalog)
    {
        var text = new StringBuilder();
        foreach (var ability in catalog.All.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            var subjects = ability.Subjects.Select(s => string.Join(',', s.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + p.Value)));
            var examples = ability.Examples.Select(e => string.Join(',', e.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + (p.Value is IEnumerable<object> list ? string.Join('+', list) : p.Value))));
            text.Append(ability.Name).Append('|').Append(ability.Description).Append('|').Append(ability.Images).Append('|')
                .Append(ability.Procedural).Append('|').AppendJoin(';', ability.Kinds).Append('|').AppendJoin(';', ability.Contexts)
                .Append('|').AppendJoin(';', subjects).Append('|').AppendJoin(';', examples).Append('\n');
        }

        text.AppendJoin('\n', catalog.CaptionInstructions).Append('\n').AppendJoin('\n', catalog.Modifiers)
            .Append('\n').AppendJoin('\n', catalog.Colors)
            .Append('\n').Append(catalog.PromptWriter.System).Append(catalog.PromptWriter.User)
            .Append(catalog.DialogueWriter.System).Append(catalog.DialogueWriter.User)
            .AppendJoin('\n', catalog.Kinds.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value))
            .AppendJoin('\n', catalog.ComparisonSubjects.Select(s => string.Join(',', s.Values)));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}

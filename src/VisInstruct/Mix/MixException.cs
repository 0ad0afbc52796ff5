namespace VisInstruct.Mix;

/// <summary>A mix that cannot be made as asked (an unknown source in a cap, a source whose images cannot be found, ...).</summary>
public sealed class MixException(string message) : Exception(message);

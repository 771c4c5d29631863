using System.ComponentModel.DataAnnotations;

namespace HybridAI.Router;

/// <summary>Retrieval augmentation when a policy rule asks for it (section <c>Router:Retrieval</c>).</summary>
public sealed class RetrievalAugmentationOptions
{
    /// <summary>Chunks added to the prompt.</summary>
    [Range(1, 50)]
    public int TopK { get; set; } = 4;

    /// <summary>Chunks scoring below this are not used.</summary>
    [Range(0.0, 1.0)]
    public double MinScore { get; set; }

    /// <summary>Introduces the retrieved context in the system message added before the conversation.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Instruction { get; set; } =
        "Answer using the context below when it is relevant, and cite sources by their number in brackets.";
}

using HybridAI.SlmInference.Core.Templates;

namespace HybridAI.SlmInference.Tests.Templates;

/// <summary>The chat templates real model families ship, rendered as Hugging Face's apply_chat_template renders them.</summary>
public sealed class ChatTemplateTests
{
    private static readonly ChatTurn[] Conversation = [new("system", "Be brief."), new("user", "Hi!"), new("assistant", "Hello."), new("user", "Why?")];

    /// <summary>Llama 2 / Mistral style: system folded into the first user turn, roles must alternate.</summary>
    private const string Llama2 =
        "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}" +
        "{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}" +
        "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}" +
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
        "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}" +
        "{% else %}{% set content = message['content'] %}{% endif %}" +
        "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}" +
        "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

    /// <summary>Llama 3 style, with whitespace control and a namespace.</summary>
    private const string Llama3 = """
        {{- bos_token }}
        {%- set ns = namespace(count=0) %}
        {%- for message in messages %}
            {%- set ns.count = ns.count + 1 %}
            {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' + message['content'] | trim + '<|eot_id|>' }}
        {%- endfor %}
        {%- if add_generation_prompt %}
            {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' }}
        {%- endif %}
        """;

    /// <summary>Phi-3 style spread over lines: trim_blocks and lstrip_blocks remove the block lines, not the newline after an output.</summary>
    private const string Phi3 = """
        {% for message in messages %}
            {% if message['role'] == 'system' %}
        {{'<|system|>\n' + message['content'] + '<|end|>\n'}}
            {% elif message['role'] == 'user' %}
        {{'<|user|>\n' + message['content'] + '<|end|>\n'}}
            {% elif message['role'] == 'assistant' %}
        {{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}
            {% endif %}
        {% endfor %}
        {% if add_generation_prompt %}
        {{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}
        """;

    [Fact]
    public void RendersLlama2StyleTemplates()
    {
        var text = ChatTemplate.Parse(Llama2).Render(Conversation, "<s>", "</s>", addGenerationPrompt: true);
        Assert.Equal("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi! [/INST] Hello. </s><s>[INST] Why? [/INST]", text);
    }

    [Fact]
    public void TemplateErrorsSurfaceWithTheTemplatesMessage()
    {
        var error = Assert.Throws<TemplateException>(() =>
            ChatTemplate.Parse(Llama2).Render([new("user", "a"), new("user", "b")], "<s>", "</s>", addGenerationPrompt: true));
        Assert.Equal("Conversation roles must alternate user/assistant/user/assistant/...", error.Message);
    }

    [Fact]
    public void RendersLlama3StyleTemplatesWithWhitespaceControl()
    {
        var text = ChatTemplate.Parse(Llama3).Render([new("user", "  Hi!  ")], "<|begin_of_text|>", "<|eot_id|>", addGenerationPrompt: true);
        Assert.Equal("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", text);
    }

    [Fact]
    public void RendersPhi3StyleTemplatesWithTrimAndLstripBlocks()
    {
        var text = ChatTemplate.Parse(Phi3).Render([new("user", "Hi!")], "<s>", "<|endoftext|>", addGenerationPrompt: true);
        Assert.Equal("<|user|>\nHi!<|end|>\n\n<|assistant|>\n", text);
        var closed = ChatTemplate.Parse(Phi3).Render([new("user", "Hi!")], "<s>", "<|endoftext|>", addGenerationPrompt: false);
        Assert.Equal("<|user|>\nHi!<|end|>\n\n<|endoftext|>", closed);
    }

    [Theory]
    [InlineData("{{ 'a' if x is defined else 'b' }}", "b")]
    [InlineData("{{ messages | length }}", "1")]
    [InlineData("{{ messages[0].content | upper }}", "HI!")]
    [InlineData("{% for m in messages if m.role == 'user' %}{{ loop.index }}{{ m.role }}{% endfor %}", "1user")]
    [InlineData("{{ [1, 2, 3] | join('-') }}", "1-2-3")]
    [InlineData("{{ {'a': 1} | tojson }}", "{\"a\": 1}")]
    [InlineData("{{ 'x' ~ 3 ~ none }}", "x3None")]
    [InlineData("{{ 7 // 2 }} {{ 7 % 3 }} {{ 1.5 + 1 }}", "3 1 2.5")]
    [InlineData("{% for i in range(3) %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}", "02")]
    [InlineData("{{ 'a,b'.split(',')[-1] }}", "b")]
    [InlineData("{{ 'abc'[::-1] }}{{ messages[-1].role }}", "cbauser")]
    [InlineData("{# comment #}{{ 'user' in messages[0].role }}", "True")]
    public void ExpressionsBehaveAsInJinja(string source, string expected) =>
        Assert.Equal(expected, ChatTemplate.Parse(source).Render([new("user", "Hi!")], "", "", false));

    [Theory]
    [InlineData("{% macro greet() %}hi{% endmacro %}", "macro")]
    [InlineData("{% include 'other.jinja' %}", "include")]
    [InlineData("{{ x | wordwrap }}", "wordwrap")]
    [InlineData("{% if x %}never closed", "endif")]
    public void UnsupportedJinjaFailsAtParseNamingTheConstruct(string source, string named)
    {
        var error = Assert.Throws<TemplateException>(() => ChatTemplate.Parse(source));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", error.Message, StringComparison.Ordinal);
    }
}

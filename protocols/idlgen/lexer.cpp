#include "lexer.hpp"

namespace idlgen {

const char* token_kind_name(TokenKind kind) {
    switch (kind) {
    case TokenKind::Identifier: return "identifier";
    case TokenKind::Integer: return "integer";
    case TokenKind::LeftBrace: return "'{'";
    case TokenKind::RightBrace: return "'}'";
    case TokenKind::LeftParen: return "'('";
    case TokenKind::RightParen: return "')'";
    case TokenKind::Semicolon: return "';'";
    case TokenKind::Comma: return "','";
    case TokenKind::Colon: return "':'";
    case TokenKind::ColonColon: return "'::'";
    case TokenKind::Equals: return "'='";
    case TokenKind::Bang: return "'!'";
    case TokenKind::Ellipsis: return "'...'";
    case TokenKind::Minus: return "'-'";
    case TokenKind::End: return "end of file";
    }
    return "token";
}

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

// Length of the valid UTF-8 sequence starting at text[0], or 0 if invalid.
size_t utf8_sequence_length(std::string_view text) {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char lead = byte(0);
    size_t length;
    uint32_t code;
    if (lead < 0x80) return 1;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2, code = lead & 0x1fu;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3, code = lead & 0x0fu;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4, code = lead & 0x07u;
    } else {
        return 0;
    }
    if (text.size() < length) return 0;
    for (size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xc0) != 0x80) return 0;
        code = code << 6 | (byte(i) & 0x3fu);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10ffff)) ||
        (code >= 0xd800 && code <= 0xdfff)) {
        return 0;
    }
    return length;
}

class Lexer {
public:
    Lexer(const std::string& file, std::string_view source) : source_(source) { where_.file = file; }

    std::vector<Token> run() {
        std::vector<Token> tokens;
        std::vector<std::string> doc;
        int doc_end_line = 0;    // line of the last comment in `doc`
        int last_token_line = 0; // line where the last token started
        for (;;) {
            skip_spaces();
            if (at_end()) break;
            char c = peek();
            if (c == '#') {
                // A comment after a token on the same line is not a doc comment.
                bool trailing = where_.line == last_token_line;
                if (doc_end_line != where_.line - 1) doc.clear();
                std::string text = comment();
                if (trailing) {
                    doc.clear();
                    doc_end_line = 0;
                } else {
                    doc.push_back(std::move(text));
                    doc_end_line = where_.line;
                }
                continue;
            }
            Token token;
            token.where = where_;
            if (doc_end_line == where_.line - 1) token.doc = std::move(doc);
            doc.clear();
            doc_end_line = 0;
            last_token_line = where_.line;
            if (is_letter(c)) {
                identifier(token);
            } else if (is_digit(c)) {
                integer(token);
            } else {
                punctuation(token);
            }
            tokens.push_back(std::move(token));
        }
        Token end;
        end.where = where_;
        tokens.push_back(std::move(end));
        return tokens;
    }

private:
    bool at_end() const { return position_ >= source_.size(); }
    char peek(size_t ahead = 0) const { return position_ + ahead < source_.size() ? source_[position_ + ahead] : '\0'; }
    void advance() {
        if (source_[position_] == '\n') {
            ++where_.line;
            where_.column = 1;
        } else {
            ++where_.column;
        }
        ++position_;
    }

    void skip_spaces() {
        while (!at_end()) {
            char c = peek();
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            advance();
        }
    }

    // A comment: '#' to the end of the line. Returns its text without the
    // '#' and one following space.
    std::string comment() {
        advance(); // '#'
        if (peek() == ' ') advance();
        size_t start = position_;
        while (!at_end() && peek() != '\n') {
            size_t length = utf8_sequence_length(source_.substr(position_));
            if (length == 0) fail(where_, "invalid UTF-8 in comment");
            char c = peek();
            bool line_end = c == '\r' && peek(1) == '\n';
            if (length == 1 && (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) && c != '\t' && !line_end) {
                fail(where_, "control character in comment");
            }
            for (size_t i = 0; i < length; ++i) advance();
        }
        std::string text(source_.substr(start, position_ - start));
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
            text.pop_back();
        }
        return text;
    }

    void identifier(Token& token) {
        token.kind = TokenKind::Identifier;
        size_t start = position_;
        while (!at_end() && (is_letter(peek()) || is_digit(peek()) || peek() == '_')) advance();
        token.text = std::string(source_.substr(start, position_ - start));
    }

    void integer(Token& token) {
        token.kind = TokenKind::Integer;
        size_t start = position_;
        uint64_t value = 0;
        bool overflow = false;
        if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
            advance();
            advance();
            if (!is_hex_digit(peek())) fail(where_, "expected hexadecimal digits after '0x'");
            while (is_hex_digit(peek())) {
                if (value >> 60) overflow = true;
                value = value << 4 | static_cast<uint64_t>(hex_value(peek()));
                advance();
            }
        } else {
            while (is_digit(peek())) {
                uint64_t digit = static_cast<uint64_t>(peek() - '0');
                if (value > (UINT64_MAX - digit) / 10) overflow = true;
                value = value * 10 + digit;
                advance();
            }
        }
        if (is_letter(peek()) || peek() == '_') fail(where_, "unexpected character after integer");
        token.text = std::string(source_.substr(start, position_ - start));
        if (overflow) fail(token.where, "integer '" + token.text + "' does not fit in 64 bits");
        token.value = value;
    }

    void punctuation(Token& token) {
        char c = peek();
        switch (c) {
        case '{': token.kind = TokenKind::LeftBrace; break;
        case '}': token.kind = TokenKind::RightBrace; break;
        case '(': token.kind = TokenKind::LeftParen; break;
        case ')': token.kind = TokenKind::RightParen; break;
        case ';': token.kind = TokenKind::Semicolon; break;
        case ',': token.kind = TokenKind::Comma; break;
        case '=': token.kind = TokenKind::Equals; break;
        case '!': token.kind = TokenKind::Bang; break;
        case '-': token.kind = TokenKind::Minus; break;
        case ':':
            if (peek(1) == ':') {
                advance();
                token.kind = TokenKind::ColonColon;
            } else {
                token.kind = TokenKind::Colon;
            }
            break;
        case '.':
            if (peek(1) != '.' || peek(2) != '.') fail(where_, "unexpected '.' (did you mean '...'?)");
            advance();
            advance();
            token.kind = TokenKind::Ellipsis;
            break;
        default: {
            unsigned char byte = static_cast<unsigned char>(c);
            char hex[8];
            static const char digits[] = "0123456789abcdef";
            hex[0] = '0', hex[1] = 'x', hex[2] = digits[byte >> 4], hex[3] = digits[byte & 15], hex[4] = 0;
            if (byte >= 0x21 && byte < 0x7f) {
                fail(where_, std::string("unexpected character '") + c + "'");
            }
            fail(where_, std::string("unexpected byte ") + hex);
        }
        }
        advance();
    }

    std::string_view source_;
    size_t position_ = 0;
    Location where_;
};

} // namespace

std::vector<Token> tokenize(const std::string& file, std::string_view source) { return Lexer(file, source).run(); }

} // namespace idlgen

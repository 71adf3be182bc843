// idlgen/lexer.hpp — turns .ipc source text into tokens.
//
// Tokens: identifiers ([A-Za-z][A-Za-z0-9_]*), integers (decimal or 0x hex,
// at most 2^64-1), punctuation ( { } ( ) ; , : :: = ! ... - ). `#` starts a
// comment to the end of the line. Comment lines directly above a token (no
// blank line between) become that token's doc comment. Only ASCII outside
// comments; comments must be valid UTF-8.
#pragma once

#include "diagnostic.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace idlgen {

enum class TokenKind {
    Identifier,
    Integer,
    LeftBrace,
    RightBrace,
    LeftParen,
    RightParen,
    Semicolon,
    Comma,
    Colon,
    ColonColon,
    Equals,
    Bang,
    Ellipsis,
    Minus,
    End,
};

const char* token_kind_name(TokenKind kind);

struct Token {
    TokenKind kind = TokenKind::End;
    std::string text;   // identifier spelling or integer digits
    uint64_t value = 0; // for integers
    Location where;
    std::vector<std::string> doc; // doc comment lines, without the leading '#'
};

// Tokenises the whole of `source`; the last token is End. Throws CompileError.
std::vector<Token> tokenize(const std::string& file, std::string_view source);

} // namespace idlgen

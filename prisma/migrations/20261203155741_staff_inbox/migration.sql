-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN "title" TEXT;

-- AlterTable
ALTER TABLE "CommuneProfile" ADD COLUMN "officeHours" TEXT;

-- CreateTable
CREATE TABLE "ConversationNote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversationId" INTEGER NOT NULL,
    "authorId" INTEGER,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConversationNote_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConversationNote_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "StaffUser" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Conversation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "citizenRef" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'bot',
    "context" JSONB NOT NULL,
    "lastInboundAt" DATETIME,
    "handedOverAt" DATETIME,
    "assignedToId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Conversation_assignedToId_fkey" FOREIGN KEY ("assignedToId") REFERENCES "StaffUser" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Conversation" ("address", "channel", "citizenRef", "context", "createdAt", "handedOverAt", "id", "lastInboundAt", "state", "updatedAt") SELECT "address", "channel", "citizenRef", "context", "createdAt", "handedOverAt", "id", "lastInboundAt", "state", "updatedAt" FROM "Conversation";
DROP TABLE "Conversation";
ALTER TABLE "new_Conversation" RENAME TO "Conversation";
CREATE INDEX "Conversation_state_updatedAt_idx" ON "Conversation"("state", "updatedAt");
CREATE INDEX "Conversation_assignedToId_state_idx" ON "Conversation"("assignedToId", "state");
CREATE UNIQUE INDEX "Conversation_channel_address_key" ON "Conversation"("channel", "address");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ConversationNote_conversationId_createdAt_idx" ON "ConversationNote"("conversationId", "createdAt");

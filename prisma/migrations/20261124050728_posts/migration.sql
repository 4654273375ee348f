-- CreateTable
CREATE TABLE "Post" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "tags" JSONB NOT NULL,
    "body" TEXT NOT NULL,
    "imageUrl" TEXT,
    "link" TEXT,
    "channels" JSONB NOT NULL,
    "notBefore" DATETIME,
    "notAfter" DATETIME,
    "origin" TEXT NOT NULL DEFAULT 'file',
    "sourceFile" TEXT,
    "contentHash" TEXT NOT NULL,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ScheduledPost" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "postId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "planId" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "lastError" TEXT,
    "platformPostId" TEXT,
    "heldSince" DATETIME,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "publishedAt" DATETIME,
    "outboundId" INTEGER,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ScheduledPost_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ScheduledPost_planId_fkey" FOREIGN KEY ("planId") REFERENCES "PostPlan" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PostPlan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "weekdays" JSONB NOT NULL,
    "times" JSONB NOT NULL,
    "topics" JSONB NOT NULL,
    "channels" JSONB NOT NULL,
    "startAt" DATETIME NOT NULL,
    "endAt" DATETIME,
    "maxCount" INTEGER,
    "targetPerMonth" INTEGER,
    "nextRunAt" DATETIME,
    "occurrences" INTEGER NOT NULL DEFAULT 0,
    "missedCount" INTEGER NOT NULL DEFAULT 0,
    "lastNote" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Post_slug_key" ON "Post"("slug");

-- CreateIndex
CREATE INDEX "Post_topic_archived_idx" ON "Post"("topic", "archived");

-- CreateIndex
CREATE INDEX "ScheduledPost_state_nextAttemptAt_idx" ON "ScheduledPost"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ScheduledPost_channel_state_publishedAt_idx" ON "ScheduledPost"("channel", "state", "publishedAt");

-- CreateIndex
CREATE INDEX "ScheduledPost_postId_channel_idx" ON "ScheduledPost"("postId", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledPost_planId_channel_dueAt_key" ON "ScheduledPost"("planId", "channel", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "PostPlan_name_key" ON "PostPlan"("name");

-- CreateIndex
CREATE INDEX "PostPlan_active_nextRunAt_idx" ON "PostPlan"("active", "nextRunAt");
